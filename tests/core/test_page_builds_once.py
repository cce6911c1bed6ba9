"""A page every reader misses at once (right after a publication) is built by one request; the others wait for its
answer, and never longer than that build lasts or BUILD_WAIT."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.http import HttpResponse
from django.test import RequestFactory

from core import freshness
from core.page_cache import serve_cached

READERS = 6


class SlowBuild:
    """A page that takes `seconds` to build; `started` is set once the first build is under way."""

    def __init__(self, seconds: float, *, status: int = 200, fail_first: bool = False) -> None:
        self.seconds, self.status, self.fail_first = seconds, status, fail_first
        self.started, self.count, self.lock = threading.Event(), 0, threading.Lock()

    def __call__(self) -> HttpResponse:
        with self.lock:
            self.count += 1
            first = self.count == 1
        self.started.set()
        if first:
            time.sleep(self.seconds)
            if self.fail_first:
                raise RuntimeError("the database went away")
        return HttpResponse(f"<p>build {self.count}</p>", status=self.status)


def first_then_the_rest(build: SlowBuild) -> tuple[object, list, float]:
    """One reader starts building, then READERS - 1 more ask for the same page; (first's answer, theirs, seconds)."""
    ask = lambda: serve_cached(RequestFactory().get("/fact-checks/"), build)  # noqa: E731
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        first = pool.submit(ask)
        assert build.started.wait(5)
        started = time.monotonic()
        rest = [pool.submit(ask) for _ in range(READERS - 1)]
        answers = [future.result() for future in rest]
        elapsed = time.monotonic() - started
    try:
        first_answer = first.result()
    except RuntimeError as error:
        first_answer = error
    return first_answer, answers, elapsed


def test_readers_who_miss_together_get_the_one_build(any_cache):
    build = SlowBuild(0.3)
    first, rest, _ = first_then_the_rest(build)
    assert build.count == 1
    assert {answer.content for answer in [first, *rest]} == {b"<p>build 1</p>"}
    assert all(answer.status_code == 200 for answer in rest)


def test_a_build_that_answers_an_error_page_sends_the_waiting_to_build_their_own(any_cache):
    build = SlowBuild(0.3, status=404)
    first, rest, elapsed = first_then_the_rest(build)
    assert first.status_code == 404 and all(answer.status_code == 404 for answer in rest)
    assert build.count == READERS  # nothing was stored for them to read
    assert elapsed < freshness.COMPUTE_WAIT


def test_a_build_that_fails_does_not_hold_the_others(any_cache):
    build = SlowBuild(0.3, fail_first=True)
    first, rest, elapsed = first_then_the_rest(build)
    assert isinstance(first, RuntimeError)
    assert all(answer.status_code == 200 for answer in rest)
    assert elapsed < freshness.COMPUTE_WAIT
    assert serve_cached(RequestFactory().get("/fact-checks/"), build).content in {a.content for a in rest}


def test_no_reader_waits_longer_than_build_wait(any_cache, monkeypatch):
    monkeypatch.setattr(freshness, "COMPUTE_WAIT", 0.2)
    build = SlowBuild(1.5)
    _, rest, elapsed = first_then_the_rest(build)
    assert all(answer.status_code == 200 for answer in rest)
    assert elapsed < 1.0
    assert build.count >= 2  # they built their own rather than wait for the slow one
