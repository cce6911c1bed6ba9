"""A webhook receiver on 127.0.0.1 in a thread (records every POST, answers as the test scripts it), and fixtures
that register it and publish a verdict the way an editor does.

`verify` checks a delivery the way docs/webhooks.md tells receivers to, so the tests hold the sender to the documented
scheme rather than to its own code.
"""

import hashlib
import hmac
import json
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance_seconds: int = 300) -> dict:
    """The receiver's check from docs/webhooks.md: signature over "<timestamp>.<body>", and a fresh timestamp."""
    timestamp = headers["X-Factcheck-Timestamp"]
    expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, headers["X-Factcheck-Signature"]):
        raise ValueError("bad signature")
    if abs(time.time() - int(timestamp)) > tolerance_seconds:
        raise ValueError("stale timestamp")
    return json.loads(body)


WEBHOOKS = "/api/v1/webhooks/"
SECRET = "receiver-shared-secret-0123456789"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """`tls=(certificate, key)` serves HTTPS on https://localhost:<port>."""

    def __init__(self, tls: tuple[Path, Path] | None = None) -> None:
        self.script: list[Answer] = []  # answers in order; once used up, every request gets 200
        self.received: list[Received] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                answer = receiver.script.pop(0) if receiver.script else Answer()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.tls = tls is not None
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"https://localhost:{self.port}{path}" if self.tls else f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *answers: Answer) -> None:
        self.script.extend(answers)

    def events(self) -> list[str]:
        return [r.headers["X-Factcheck-Event"] for r in self.received]

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate it signed for localhost and 127.0.0.1: (ca, certificate, key)."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        "/CN=Webhook test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    )
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"
    )
    (directory / "san.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "1",
        "-extfile",
        "san.cnf",
    )
    return directory / "ca.pem", directory / "server.pem", directory / "server.key"


# Fixtures: a test module binds them to module-level names (see test_webhooks.py) for pytest to find them.


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # the receiver listens on 127.0.0.1
    with Receiver() as running:
        yield running


@pytest.fixture
def register(api, editor):
    def registered(url: str, events=("factcheck.published",), secret: str = SECRET) -> dict:
        answer = api(editor).post(WEBHOOKS, {"url": url, "secret": secret, "events": list(events)}, format="json")
        assert answer.status_code == 201, answer.content
        return answer.json()

    return registered


@pytest.fixture
def approve(api, editor, desk, django_capture_on_commit_callbacks):
    """Bring a claim to awaiting approval, then approve it over the API; work queued on commit runs as after a real
    commit (eager Celery), webhooks included."""

    def approved(claim):
        desk.awaiting_approval(claim)
        with django_capture_on_commit_callbacks(execute=True):
            answer = api(editor).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json")
        assert answer.status_code == 200, answer.content
        return answer.json()["fact_check"]

    return approved
