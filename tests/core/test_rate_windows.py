"""Rate limits counted atomically: parallel requests from one caller cannot get past the limit together, the answer
past it says when the window closes, and a cache that is down does not take the API down."""

import time
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache

from core import throttling
from core.redis_cache import SharedClientRedisCache
from core.roles import Role
from tests.concurrency import run_together
from tests.redis_caches import use_redis_cache

PARALLEL = 24


@pytest.fixture
def shared_cache(settings):
    """The Redis cache production uses: its round trips let threads interleave between reading and writing a
    count, as separate web processes do (in-process memory under the GIL hardly ever does)."""
    use_redis_cache(settings, "the parallel rate limit tests need Redis")


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"editor": "5/min"}}
    cache.clear()  # the in-process cache (autouse fixtures run before shared_cache), so earlier counts start at 0


def _editor_request(user_id: int = 7) -> SimpleNamespace:
    user = SimpleNamespace(pk=user_id, is_authenticated=True, _desk_roles=frozenset({Role.EDITOR}))
    return SimpleNamespace(user=user)


def test_parallel_requests_of_one_member_get_exactly_the_limit_through(shared_cache):
    answers = []

    def call() -> None:
        # DRF makes a throttle per request; the count is shared through the cache only.
        for _ in range(4):
            answers.append(throttling.RoleRateThrottle().allow_request(_editor_request(), view=None))

    run_together([call] * PARALLEL)

    assert answers.count(True) == 5
    assert len(answers) == 4 * PARALLEL


def test_parallel_slots_count_every_request(shared_cache):
    answers = []
    run_together([lambda: answers.append(throttling.take_slot("reader:203.0.113.9", 10, 60))] * PARALLEL)

    assert answers.count(None) == 10
    assert all(1 <= wait <= 60 for wait in answers if wait is not None)


def test_it_says_when_the_window_that_the_first_request_opened_closes():
    with time_machine.travel("2026-12-02 10:00:00", tick=False) as clock:
        assert [throttling.take_slot("caller", 2, 60) for _ in range(2)] == [None, None]
        clock.shift(45)
        assert throttling.take_slot("caller", 2, 60) == 15
        clock.shift(16)
        assert throttling.take_slot("caller", 2, 60) is None  # a new window


def test_it_keeps_callers_apart():
    assert throttling.take_slot("one", 1, 60) is None
    assert throttling.take_slot("one", 1, 60) == 60
    assert throttling.take_slot("two", 1, 60) is None


def test_a_cache_that_is_down_lets_requests_through(monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(throttling.cache, "incr", down)

    assert throttling.RoleRateThrottle().allow_request(_editor_request(), view=None) is True
    assert "not counted" in caplog.text


def test_a_counter_left_without_an_expiry_still_opens_a_new_window():
    """Redis's INCR recreates a counter that expired between the existence check and the increment, with no expiry;
    the window it opens must close like any other."""
    cache.set("rate:caller", 0, None)
    with time_machine.travel("2026-12-02 10:00:00", tick=False) as clock:
        assert throttling.take_slot("caller", 1, 60) is None
        assert throttling.take_slot("caller", 1, 60) == 60
        clock.shift(61)
        assert throttling.take_slot("caller", 1, 60) is None


def test_on_redis_the_answer_past_the_limit_says_when_its_window_closes(shared_cache):
    assert [throttling.take_slot("caller", 2, 60) for _ in range(2)] == [None, None]

    assert throttling.take_slot("caller", 2, 60) == 60  # 59.99… seconds left, rounded up


def test_on_redis_a_window_closes_after_its_length(shared_cache):
    assert throttling.take_slot("caller", 1, 1) is None
    assert throttling.take_slot("caller", 1, 1) == 1

    time.sleep(1.1)

    assert throttling.take_slot("caller", 1, 1) is None


def test_on_redis_a_counter_left_without_an_expiry_still_closes(shared_cache):
    cache.set("rate:caller", 0, None)
    assert throttling.take_slot("caller", 1, 1) is None
    assert throttling.take_slot("caller", 1, 1) == 1

    time.sleep(1.1)

    assert throttling.take_slot("caller", 1, 1) is None


def test_on_redis_a_cache_that_is_down_lets_requests_through(shared_cache, monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(SharedClientRedisCache, "count_in_window", down)

    assert throttling.RoleRateThrottle().allow_request(_editor_request(), view=None) is True
    assert "not counted" in caplog.text
