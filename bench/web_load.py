"""The web benchmark's server and load: gunicorn on loopback, wrk in a process of its own, and reading wrk's answer.

wrk runs a Lua script written per endpoint: it cycles through the endpoint's paths (and bodies), makes each request
of a cold endpoint unique with a `cold=<run>-<thread>-<n>` query parameter (one the pages do not read, so the
answer is rendered and not stored), and prints one `BENCH_JSON {...}` line
when it is done, which `parse_wrk` reads.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from benchkit import stop_process_group

REPO = Path(__file__).resolve().parent.parent
MARKER = "BENCH_JSON "

LUA = r"""
local paths = {%(paths)s}
local bodies = {%(bodies)s}
local method, run, cold = "%(method)s", "%(run)s", %(cold)s
%(headers)s
local counter, threads = 0, {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function request()
  counter = counter + 1
  local tag = run .. "-" .. tid .. "-" .. counter
  local path = paths[(counter %% #paths) + 1]
  if cold then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "cold=" .. tag
  end
  local body = nil
  if #bodies > 0 then
    body = (string.gsub(bodies[(counter %% #bodies) + 1], "{n}", tag))
  end
  return wrk.format(method, path, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(marker)s{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "status": %%d, '
    .. '"connect": %%d, "read": %%d, "write": %%d, "timeout": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
"""


@dataclass(frozen=True)
class Load:
    method: str = "GET"
    paths: Sequence[str] = ("/",)
    cold: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    bodies: Sequence[str] = ()  # "{n}" in a body becomes a tag unique to the request


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # answers of 400 or more, and socket errors
    server_cpu_s: float = 0.0  # CPU the server side spent meanwhile (server_cpu_s())

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request."""
        return 1000 * self.server_cpu_s / self.requests if self.requests else 0.0


def _lua_string(value: str) -> str:
    level = "=" * 4
    return f"[{level}[{value}]{level}]"


def lua_script(load: Load) -> str:
    headers = "\n".join(f"wrk.headers[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in load.headers.items())
    return LUA % {
        "paths": ", ".join(_lua_string(p) for p in load.paths),
        "bodies": ", ".join(_lua_string(b) for b in load.bodies),
        "method": load.method,
        "run": secrets.token_hex(4),  # a fresh tag per run: a cold path of an earlier run is cached
        "cold": "true" if load.cold else "false",
        "headers": headers,
        "marker": MARKER,
    }


def parse_wrk(output: str) -> LoadResult:
    """wrk's answer, from the line the script's done() printed."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            errors = sum(data[k] for k in ("status", "connect", "read", "write", "timeout"))
            return LoadResult(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                p50_ms=data["p50_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                errors=errors,
            )
    raise ValueError(f"wrk printed no {MARKER.strip()} line:\n{output[-2000:]}")


_TICK_S = 1 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.01
SERVER_COMMANDS = frozenset({"postgres", "redis-server"})


def server_cpu_s(gunicorn_pid: int) -> float:
    """CPU seconds spent so far by the processes that answer a load: gunicorn (its master and workers), PostgreSQL
    and Redis, read from Linux's /proc (0 elsewhere). wrk, the bench and the Celery worker are left out.

    Unlike req/s, CPU per request does not move when the VM's host lends the cores elsewhere for a while: the
    processes then get less wall time but spend the same CPU on each answer."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited meanwhile
            continue
        command = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()  # from the 3rd field, state, on
        pid, parent = int(entry.name), int(fields[1])
        if gunicorn_pid in (pid, parent) or command in SERVER_COMMANDS:
            # utime and stime, and those of its children that have exited: a database connection that closes (after
            # CONN_MAX_AGE) takes its backend's CPU out of /proc and into the postmaster's cutime and cstime.
            total += sum(int(value) for value in fields[11:15])
    return total * _TICK_S


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        sys.exit("bench/web.py needs wrk, the HTTP load generator: apt-get install wrk (Debian package `wrk`)")
    return found


def run_wrk(base_url: str, load: Load, *, seconds: float, connections: int, threads: int, workdir: Path) -> LoadResult:
    script = workdir / f"load-{secrets.token_hex(4)}.lua"
    script.write_text(lua_script(load), encoding="utf-8")
    cmd = [require_wrk(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s"]
    done = subprocess.run([*cmd, "-s", str(script), base_url], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def prime(server: Gunicorn, load: Load, concurrency: int, timeout_s: float) -> None:
    """`concurrency` requests at once, twice over, each waited for: every gunicorn worker has then served the
    endpoint at least once, however long its first request took."""
    tag = secrets.token_hex(4)

    def one(n: int) -> int:
        path = load.paths[n % len(load.paths)]
        if load.cold:
            path += f"{'&' if '?' in path else '?'}cold=prime-{tag}-{n}"
        body = load.bodies[n % len(load.bodies)].replace("{n}", f"prime-{tag}-{n}").encode() if load.bodies else None
        return server.request(load.method, path, body, dict(load.headers), timeout=timeout_s)[0]

    with ThreadPoolExecutor(concurrency) as pool:
        failed = [status for status in pool.map(one, range(2 * concurrency)) if status >= 400]
    if failed:
        raise RuntimeError(f"{load.method} {load.paths[0]} answered {failed[0]} while priming")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn config.wsgi` on loopback: `workers` processes of `threads` threads (gthread: keep-alive works)."""

    def __init__(self, env: dict[str, str], workers: int, threads: int, log_path: Path) -> None:
        self.env, self.workers, self.threads, self.log_path = env, workers, threads, log_path
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        if self.proc is None:
            raise RuntimeError("gunicorn is not running")
        return self.proc.pid

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
        cmd += ["--bind", f"127.0.0.1:{self.port}"]
        cmd += ["--workers", str(self.workers), "--threads", str(self.threads), "--log-level", "info"]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=REPO, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log_path}")
            try:
                self.request("GET", "/robots.txt")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log_path}")

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None, timeout: float = 60
    ) -> tuple[int, bytes]:
        """One request on a fresh connection: (status, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            answer = conn.getresponse()
            return answer.status, answer.read()
        finally:
            conn.close()

    def stop(self) -> None:
        stop_process_group(self.proc)
