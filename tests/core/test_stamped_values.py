"""Values and answers kept under the public content's stamp (core.freshness), on the Redis cache production uses."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from core import freshness

pytestmark = pytest.mark.django_db


@pytest.fixture
def publication_commits(django_capture_on_commit_callbacks):
    def commit() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            freshness.invalidate_public_pages()

    return commit


def test_a_value_is_computed_once_per_stamp(any_cache, publication_commits):
    computed = []

    def count() -> int:
        computed.append(1)
        return len(computed)

    assert freshness.stamped_value("topics", count) == 1
    assert freshness.stamped_value("topics", count) == 1
    publication_commits()

    assert freshness.stamped_value("topics", count) == 2
    assert freshness.stamped_value("topics", count) == 2


def test_a_value_computed_before_a_bump_is_never_read_after_it(any_cache, publication_commits):
    stamp, _ = freshness.read_stamped("factcheck:list")
    publication_commits()  # while the slow page is still being built
    freshness.store_stamped("factcheck:list", stamp, "the list without the new verdict")

    assert freshness.read_stamped("factcheck:list")[1] is None


def test_one_value_per_key_whatever_the_number_of_bumps(any_cache, publication_commits):
    for n in range(3):
        stamp, _ = freshness.read_stamped("factcheck:list")
        freshness.store_stamped("factcheck:list", stamp, f"list {n}")
        publication_commits()
    stamp, _ = freshness.read_stamped("factcheck:list")
    freshness.store_stamped("factcheck:list", stamp, "list 3")

    assert freshness.read_stamped("factcheck:list") == (stamp, "list 3")
    if any_cache == "redis":
        client = cache._cache.get_client()
        assert len(client.keys(cache.make_key("factcheck:list"))) == 1


def test_the_redis_cache_keeps_one_client_per_pool(any_cache):
    if any_cache != "redis":
        pytest.skip("a Redis client only")
    cache.set("a", 1)
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    assert cache.get("a") == 1


def test_callers_who_miss_a_value_together_get_the_one_computation(any_cache, publication_commits):
    publication_commits()
    computations, started = [], threading.Event()

    def slow_count() -> int:
        computations.append(1)
        started.set()
        time.sleep(0.3)
        return len(computations)

    with ThreadPoolExecutor(max_workers=5) as pool:
        first = pool.submit(freshness.stamped_value, "filter-choices", slow_count)
        assert started.wait(5)
        others = [pool.submit(freshness.stamped_value, "filter-choices", slow_count) for _ in range(4)]
        values = [first.result(), *(future.result() for future in others)]

    assert computations == [1]
    assert values == [1] * 5


def _slow(values: list[str], started: threading.Event, go_on: threading.Event):
    def compute() -> str:
        values.append(f"choices {len(values)}")
        started.set()
        assert go_on.wait(10)
        return values[-1]

    return compute


def _not_by_readers() -> str:
    raise AssertionError("a reader computed a value the task refreshes")


def test_after_a_bump_readers_keep_the_previous_value_until_the_task_refreshes_it(any_cache, publication_commits):
    assert freshness.lagging_value("filter-choices", lambda: "choices before") == "choices before"
    publication_commits()

    with freshness.noting_lags() as lags:
        assert freshness.lagging_value("filter-choices", _not_by_readers) == "choices before"
    assert len(lags) == 1 and not freshness.lags_ended(tuple(lags))

    assert freshness.refresh_lagging_value("filter-choices", lambda: "choices after") == 1
    assert freshness.lags_ended(tuple(lags))  # a page built from the previous value is out of date now
    with freshness.noting_lags() as current:
        assert freshness.lagging_value("filter-choices", _not_by_readers) == "choices after"
    assert current == []
    assert freshness.refresh_lagging_value("filter-choices", _not_by_readers) == 0  # nothing left to refresh


def test_a_refresh_runs_once_while_readers_keep_the_previous_value_without_waiting(any_cache, publication_commits):
    freshness.lagging_value("filter-choices", lambda: "choices before")
    publication_commits()
    computed, started, go_on = [], threading.Event(), threading.Event()

    with ThreadPoolExecutor(max_workers=1) as pool:
        refresh = pool.submit(freshness.refresh_lagging_value, "filter-choices", _slow(computed, started, go_on))
        assert started.wait(10)
        begun = time.monotonic()
        second_refresh = freshness.refresh_lagging_value("filter-choices", _slow(computed, started, go_on))
        meanwhile = [freshness.lagging_value("filter-choices", _not_by_readers) for _ in range(3)]
        waited = time.monotonic() - begun
        go_on.set()
        assert refresh.result(10) == 1

    assert second_refresh == 0 and meanwhile == ["choices before"] * 3
    assert waited < freshness.COMPUTE_WAIT / 2
    assert computed == ["choices 0"]
    assert freshness.lagging_value("filter-choices", _not_by_readers) == "choices 0"


def test_a_refresh_counts_again_when_publications_come_while_it_counts(any_cache, publication_commits):
    freshness.lagging_value("filter-choices", lambda: "choices before")
    publication_commits()
    computed = []

    def count_while_publishing(publications: int):
        def compute() -> str:
            computed.append(f"choices {len(computed)}")
            if len(computed) <= publications:
                publication_commits()
            return computed[-1]

        return compute

    assert freshness.refresh_lagging_value("filter-choices", count_while_publishing(1)) == 2
    assert freshness.lagging_value("filter-choices", _not_by_readers) == "choices 1"

    computed.clear()
    publication_commits()
    rounds = freshness.refresh_lagging_value("filter-choices", count_while_publishing(99))
    assert rounds == freshness.REFRESH_ROUNDS  # bounded: the next publication's task, or a reader, goes on


def test_a_reader_refreshes_a_value_no_task_refreshed_within_the_grace(any_cache, publication_commits, monkeypatch):
    freshness.lagging_value("filter-choices", lambda: "choices before")
    publication_commits()
    assert freshness.lagging_value("filter-choices", _not_by_readers) == "choices before"  # within the grace
    monkeypatch.setattr(freshness, "REFRESH_GRACE", 0.0)  # the worker is down: the grace has passed
    computed, started, go_on = [], threading.Event(), threading.Event()

    with ThreadPoolExecutor(max_workers=1) as pool:
        reader = pool.submit(freshness.lagging_value, "filter-choices", _slow(computed, started, go_on))
        assert started.wait(10)
        publication_commits()  # and another publication, while that reader counts
        meanwhile = freshness.lagging_value("filter-choices", _slow(computed, started, go_on))
        go_on.set()
        assert reader.result(10) == "choices 0"

    assert meanwhile == "choices before" and computed == ["choices 0"]  # one refresh at a time
    # Stored under the stamp it started with: the next reader refreshes it for the newer one.
    assert freshness.lagging_value("filter-choices", lambda: "choices 1") == "choices 1"
    assert freshness.lagging_value("filter-choices", _not_by_readers) == "choices 1"


def test_without_an_earlier_value_callers_wait_for_the_first(any_cache):
    computed, started, go_on = [], threading.Event(), threading.Event()
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(freshness.lagging_value, "filter-choices", _slow(computed, started, go_on))
        assert started.wait(10)
        others = [
            pool.submit(freshness.lagging_value, "filter-choices", _slow(computed, started, go_on)) for _ in range(3)
        ]
        time.sleep(0.1)
        go_on.set()
        answers = [first.result(10), *(other.result(10) for other in others)]
    assert answers == ["choices 0"] * 4
    assert computed == ["choices 0"]


def test_lags_are_noted_in_the_enclosing_block_too(any_cache, publication_commits):
    freshness.lagging_value("filter-choices", lambda: "choices before")
    publication_commits()
    with freshness.noting_lags() as page, freshness.noting_lags() as fragment:
        freshness.lagging_value("filter-choices", _not_by_readers)
    assert page == fragment and len(page) == 1
