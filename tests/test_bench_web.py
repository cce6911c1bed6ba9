"""The web benchmark's harness: its data generator at a tiny scale, its wrk script and the reading of wrk's answer."""

import http.server
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import web_data
import web_load
from web import chosen, combined, endpoints, parse_args, publications, turns
from web_load import Gunicorn, Load, LoadResult, lua_script, parse_wrk, prime, run_wrk, server_cpu_s
from web_probe import last_page_path, probe

from claims.models import Claim, Claimant, ClaimStatus
from core.freshness import current_stamp
from factcheck.record.models import FactCheck
from reviews.models import Review

SCRIPTS = {
    "Latin": r"[a-z]",
    "Cyrillic": r"[\u0400-\u04ff]",
    "Arabic": r"[\u0600-\u06ff]",
    "Chinese": r"[\u4e00-\u9fff]",
    "Devanagari": r"[\u0900-\u097f]",
}
TINY = web_data.Scale(claims=300, fact_checks=60, claimants=12, topics=6)


@pytest.fixture
def generated(db):
    return web_data.generate(TINY, progress=False)


def test_it_generates_claims_in_every_status(generated):
    statuses = set(Claim.objects.values_list("status", flat=True))

    assert statuses == set(ClaimStatus.values)
    assert Claim.objects.count() == TINY.claims
    assert FactCheck.objects.count() == TINY.fact_checks


def test_it_writes_published_records_as_publishing_does(generated):
    for fact_check in FactCheck.objects.select_related("current_version", "claim__claimant"):
        version = fact_check.current_version
        assert version.fact_check_id == fact_check.pk
        assert 3 <= len(version.sources) <= 8
        assert version.claimant_name == (fact_check.claim.claimant.name if fact_check.claim.claimant else "")
        assert fact_check.claim.status in (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED)
        assert (fact_check.retracted_at is not None) == (fact_check.claim.status == ClaimStatus.RETRACTED)
        assert Review.objects.get(claim=fact_check.claim).sources.count() == len(version.sources)


def test_it_writes_names_and_claims_in_several_scripts(generated):
    texts = " ".join(Claim.objects.values_list("text", flat=True))
    names = " ".join(Claimant.objects.values_list("name", flat=True))

    for script, pattern in SCRIPTS.items():
        assert re.search(pattern, texts), f"no claim in {script}"
        assert re.search(pattern, names), f"no claimant in {script}"


def test_it_gives_every_matcher_row_a_vector_close_to_its_text(generated):
    import numpy as np

    from claims.matching import encoder
    from claims.matching import text as textlib
    from claims.matching.models import MatchDocument

    rows = list(MatchDocument.objects.order_by("pk").values_list("text", "embedding"))
    assert rows and all(embedding is not None for _, embedding in rows)
    sample = rows[:: len(rows) // 20][:20]
    own = encoder.encode([textlib.clean(text) for text, _ in sample])
    stored = np.vstack([encoder.from_bytes(embedding) for _, embedding in sample])
    cosines = own @ stored.T
    # The stored vector is the base sentence's, without the claim's number: close to the text's own, and no other
    # row's is closer (two claims written from one base sentence share its vector, so they tie).
    assert (np.diag(cosines) > 0.75).all()
    assert (np.diag(cosines) >= cosines.max(axis=1) - 1e-5).all()


def test_it_leaves_the_database_usable_by_the_services(generated, client):
    from django.contrib.auth import get_user_model

    from claims.services import submit_claim

    journalist = get_user_model().objects.get(username=web_data.JOURNALIST)
    claim = submit_claim(user=journalist, text="Бюджет вырос вдвое", language="ru")
    slug = web_data.sample_slugs(1)[0]

    assert claim.pk > max(Claim.objects.exclude(pk=claim.pk).values_list("pk", flat=True))
    assert client.get(f"/fact-checks/{slug}/").status_code == 200
    assert client.get("/api/v1/fact-checks/").status_code == 200


def test_it_counts_queries_of_a_cold_page_and_none_of_a_warm_one(generated):
    cold = probe(Load(paths=("/fact-checks/",), cold=True))
    warm = probe(Load(paths=("/fact-checks/",)))

    assert cold.status == warm.status == 200
    assert cold.queries > 0
    assert warm.queries == 0


def test_its_last_pages_are_the_lists_last_rows(generated, client, editor):
    client.force_login(editor)
    claims = Claim.objects.order_by("-created_at", "-id")
    published = FactCheck.objects.exclude(current_version=None).order_by("-published_at", "-id")

    claims_page = client.get(last_page_path("/api/v1/claims/", Claim.objects.all(), ["-created_at", "-id"])).json()
    checks_page = client.get(last_page_path("/api/v1/fact-checks/", published, ["-published_at", "-id"])).json()

    assert claims_page["next"] is None and checks_page["next"] is None
    assert [c["id"] for c in claims_page["results"]] == list(claims.values_list("id", flat=True))[-(300 % 25 or 25) :]
    assert [c["slug"] for c in checks_page["results"]] == list(published.values_list("slug", flat=True))[-(60 % 25) :]


def test_it_reads_wrks_answer():
    output = (
        "Running 5s test @ http://127.0.0.1:8000\n  2 threads and 8 connections\n"
        'BENCH_JSON {"requests": 500, "duration_us": 5000000, "p50_us": 4200, "p99_us": 31000, "status": 2, '
        '"connect": 0, "read": 1, "write": 0, "timeout": 0}\n'
    )

    result = parse_wrk(output)

    assert (result.requests, result.rate, result.p50_ms, result.p99_ms, result.errors) == (500, 100.0, 4.2, 31.0, 3)
    with pytest.raises(ValueError, match="BENCH_JSON"):
        parse_wrk("Requests/sec: 100\n")


def test_it_writes_a_lua_script_wrk_can_read():
    script = lua_script(Load(paths=("/fact-checks/?q=бюджет",), cold=True, headers={"Authorization": "Token t"}))

    # "[[" would open a Lua long string: wrk would then send no header and print no summary.
    assert "[[" not in script
    assert "cold=" in script


@pytest.fixture
def local_server():
    """A loopback HTTP server that records each request's path and Authorization header."""
    seen: list[tuple[str, str | None]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            seen.append((self.path, self.headers.get("Authorization")))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_GET = do_POST = answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, seen
    server.shutdown()


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
def test_it_loads_a_server_with_wrk(local_server, tmp_path):
    port, seen = local_server
    load = Load(paths=("/a", "/b?x=1"), cold=True, headers={"Authorization": "Token t"})

    result = run_wrk(f"http://127.0.0.1:{port}", load, seconds=1, connections=2, threads=1, workdir=tmp_path)

    assert result.requests > 0 and result.errors == 0
    paths = [path for path, _ in seen]
    assert len(set(paths)) == len(paths), "a cold request repeated a path"
    assert any(p.startswith("/a?cold=") for p in paths) and any(p.startswith("/b?x=1&cold=") for p in paths)
    assert {auth for _, auth in seen} == {"Token t"}


def test_it_primes_every_connection_before_the_load(local_server, tmp_path):
    port, seen = local_server
    server = Gunicorn({}, workers=1, threads=1, log_path=tmp_path / "unused.log")
    server.port = port  # the local server stands in for gunicorn

    prime(server, Load("POST", ("/claims/",), headers={"Authorization": "Token t"}, bodies=('{"n": "{n}"}',)), 3, 10)

    assert len(seen) == 6
    assert {auth for _, auth in seen} == {"Token t"}


def test_it_runs_quick():
    args = parse_args(["--quick"])

    assert (args.scale, args.duration, args.warmup) == (2_000, 5.0, 1.0)


def test_only_picks_the_rows_named_and_refuses_a_name_that_picks_none():
    every = endpoints({"Authorization": "Token e"}, {"Authorization": "Token j"}, ["a-slug"])

    publishing = chosen(every, ["publishing"])
    assert [e.name for e in publishing] == ["/fact-checks/ warm, publishing"]
    assert len(chosen(every, ["publishing", "sitemap"])) == 2
    assert chosen(every, None) == every
    with pytest.raises(SystemExit, match="names no endpoint"):
        chosen(every, ["no such row"])


def test_it_forgets_the_claims_a_submission_load_wrote(generated, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    from claims.matching.models import MatchDocument
    from claims.services import submit_claim

    generated_up_to = web_data.newest_claim_id()
    claims, documents = Claim.objects.count(), MatchDocument.objects.count()
    journalist = get_user_model().objects.get(username=web_data.JOURNALIST)
    with django_capture_on_commit_callbacks(execute=True):
        for text in ("The budget doubled in two years 1", "Бюджет школ вырос вдвое 2"):
            submit_claim(user=journalist, text=text, language="en")
    assert MatchDocument.objects.count() == documents + 2

    assert web_data.forget_submissions(generated_up_to) == 2
    assert (Claim.objects.count(), MatchDocument.objects.count()) == (claims, documents)
    assert web_data.newest_claim_id() == generated_up_to


def test_the_publishing_load_puts_the_pages_out_of_date_while_it_runs_and_only_then(db):
    first = current_stamp()
    with publications(None):
        time.sleep(0.15)
    assert current_stamp() == first

    seen = set()
    with publications(0.02):
        for _ in range(20):
            time.sleep(0.01)
            seen.add(current_stamp())
    assert len(seen - {first}) >= 2
    after = current_stamp()
    time.sleep(0.1)
    assert current_stamp() == after


def test_an_endpoint_and_its_ceiling_take_turns_in_mirrored_order():
    assert turns(1) == [0, 1]
    assert turns(3) == [0, 1, 1, 0, 0, 1]
    # Each side gets the same number of turns, and as many early turns as late ones.
    assert [turns(4).count(side) for side in (0, 1)] == [4, 4]
    assert parse_args(["--rounds", "2"]).rounds == 2
    with pytest.raises(SystemExit):
        parse_args(["--rounds", "0"])


def test_turns_combine_into_one_rate_the_median_p50_and_the_worst_p99():
    parts = [
        LoadResult(requests=1000, seconds=5.0, p50_ms=4.0, p99_ms=20.0, errors=0),
        LoadResult(requests=500, seconds=5.0, p50_ms=9.0, p99_ms=80.0, errors=2),
        LoadResult(requests=900, seconds=5.0, p50_ms=5.0, p99_ms=30.0, errors=0),
    ]

    whole = combined(parts)

    assert whole.rate == pytest.approx(2400 / 15.0)
    assert (whole.p50_ms, whole.p99_ms, whole.errors) == (5.0, 80.0, 2)


def test_turns_add_up_the_servers_cpu_into_cpu_per_request():
    parts = [
        LoadResult(requests=1000, seconds=5.0, p50_ms=4.0, p99_ms=20.0, errors=0, server_cpu_s=6.0),
        LoadResult(requests=500, seconds=5.0, p50_ms=9.0, p99_ms=80.0, errors=0, server_cpu_s=3.0),
    ]

    assert combined(parts).cpu_ms == pytest.approx(6.0)
    assert LoadResult(requests=0, seconds=5.0, p50_ms=0, p99_ms=0, errors=1).cpu_ms == 0.0


BUSY = "import time\nend = time.process_time() + 30\nwhile time.process_time() < end: pass"
PARENT = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BUSY!r}])"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")
def test_server_cpu_counts_a_server_process_and_its_children_only(monkeypatch):
    monkeypatch.setattr(web_load, "SERVER_COMMANDS", frozenset())  # the database and Redis would only add
    # A parent that starts a busy child and waits for it, as gunicorn's master does its workers; and a busy
    # process of no server's.
    parent = subprocess.Popen([sys.executable, "-c", PARENT], start_new_session=True)
    bystander = subprocess.Popen([sys.executable, "-c", BUSY])
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.5)  # the child has started
        server, other = server_cpu_s(parent.pid), server_cpu_s(idle.pid)
        time.sleep(1.0)
        server, other = server_cpu_s(parent.pid) - server, server_cpu_s(idle.pid) - other
    finally:
        os.killpg(parent.pid, signal.SIGKILL)  # the child too
        for process in (bystander, idle):
            process.kill()

    assert server >= 0.2  # the busy child, counted through its parent
    assert other < 0.05  # the busy bystander is nobody's server


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")
def test_server_cpu_keeps_the_cpu_of_a_child_that_exited(monkeypatch):
    monkeypatch.setattr(web_load, "SERVER_COMMANDS", frozenset())
    # A parent whose busy child ends, as a database backend does when its connection closes.
    short = BUSY.replace("+ 30", "+ 0.5")
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import subprocess, sys, time; subprocess.run([sys.executable, '-c', {short!r}]); time.sleep(30)",
        ],
        start_new_session=True,
    )
    try:
        before = server_cpu_s(parent.pid)
        time.sleep(3)  # the child has run and exited
        after = server_cpu_s(parent.pid)
    finally:
        os.killpg(parent.pid, signal.SIGKILL)

    assert after - before >= 0.3
