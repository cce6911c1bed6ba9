"""Stamped values a page reads together come in one cache round trip (core.freshness.reading_ahead)."""

import pytest
from django.core.cache import caches

from core import freshness

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_trips(any_cache, monkeypatch) -> list[list[str]]:
    """The keys of each read of several keys at once, on the cache the test runs on."""
    trips: list[list[str]] = []
    kind = type(caches["default"])
    read_many = kind.get_many

    def counted(self, keys, version=None):
        keys = list(keys)
        trips.append(keys)
        return read_many(self, keys, version=version)

    monkeypatch.setattr(kind, "get_many", counted)
    return trips


def test_values_read_ahead_cost_one_round_trip(round_trips):
    freshness.stamped_value("sheet", lambda: "digest")
    freshness.lagging_value("choices", lambda: "choices")
    round_trips.clear()

    with freshness.reading_ahead(["sheet", "choices"]):
        assert freshness.lagging_value("choices", lambda: "recounted") == "choices"
        assert freshness.stamped_value("sheet", lambda: "computed again") == "digest"

    assert len(round_trips) == 1


def test_a_value_read_ahead_serves_once_so_one_computed_meanwhile_is_read(round_trips):
    computed = []

    def compute() -> str:
        computed.append(1)
        return f"value {len(computed)}"

    with freshness.reading_ahead(["sheet"]):
        assert freshness.stamped_value("other", lambda: "other") == "other"  # fetches "sheet" too: a miss
        assert freshness.stamped_value("sheet", compute) == "value 1"
        assert freshness.stamped_value("sheet", compute) == "value 1"
    assert computed == [1]


def test_a_value_read_ahead_under_an_older_stamp_is_not_taken_for_a_current_one(
    round_trips, django_capture_on_commit_callbacks
):
    freshness.stamped_value("sheet", lambda: "before")
    with django_capture_on_commit_callbacks(execute=True):
        freshness.invalidate_public_pages()

    with freshness.reading_ahead(["sheet"]):
        assert freshness.stamped_value("sheet", lambda: "after") == "after"


def test_outside_a_page_every_read_asks_the_cache(round_trips):
    freshness.stamped_value("sheet", lambda: "digest")
    round_trips.clear()

    freshness.stamped_value("sheet", lambda: "computed again")
    freshness.stamped_value("sheet", lambda: "computed again")

    assert len(round_trips) == 2


def test_a_page_knows_the_stamp_it_read_its_values_under(any_cache):
    assert freshness.page_stamp() is None
    with freshness.reading_ahead(["sheet"]):
        assert freshness.page_stamp() is None  # nothing read yet
        stamp, _ = freshness.read_stamped("factcheck:other")
        freshness.stamped_value("sheet", lambda: "digest")
        assert freshness.page_stamp() == stamp
    assert freshness.page_stamp() is None
