"""Web processes read the matcher's index as they start, so the first submission after a deploy does not wait."""

import logging
import runpy
import threading
from pathlib import Path

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone

from claims import matching
from claims.matching import DocumentInput, find_similar, store, upsert_documents
from claims.matching import encoder as encoder_module
from claims.matching.store import OVERLAP
from claims.matching.warmup import warm_up, warm_up_in_background, warm_up_worker_process

# The warm-up reads the table from a thread of its own. Serialized like every other transactional test here: one
# that is not re-creates content types on its flush, and the next serialized one then fails to load its copy.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"
DOCUMENTS = [
    DocumentInput("fact_check", 1, "5G mobile phone masts spread the coronavirus", "en"),
    DocumentInput("claim", 2, "Unemployment in Ohio fell to its lowest level since 1970", "en"),
]


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matching.reset()
    encoder_module.set_disabled(True)  # the lexical index: what is loaded, not how well it ranks
    yield
    matching.reset()
    encoder_module.set_disabled(False)


@pytest.fixture
def loads(monkeypatch) -> list[str]:
    """The collections whose whole table is read (the real load still runs)."""
    calls, real_load = [], store.CollectionIndex._load

    def counting_load(index, *, progress):
        calls.append(index.collection)
        return real_load(index, progress=progress)

    monkeypatch.setattr(store.CollectionIndex, "_load", counting_load)
    return calls


def test_after_the_warm_up_the_first_search_reads_only_what_changed(loads):
    upsert_documents(DOCUMENTS)
    warm_up_in_background().join(timeout=60)
    assert loads == ["desk"]
    upsert_documents([DocumentInput("claim", 3, "Masts for 5G phones spread the coronavirus", "en")])

    found = {(m.kind, m.ref_id) for m in find_similar("Do 5G masts spread the coronavirus?", language="en")}

    assert loads == ["desk"]
    assert {("fact_check", 1), ("claim", 3)} <= found  # the row written after the warm-up too


def test_the_warm_up_can_be_turned_off(settings, loads):
    settings.MATCHING_WARM_UP = False
    assert warm_up_in_background() is None
    upsert_documents(DOCUMENTS)
    assert find_similar("5G masts spread the coronavirus", language="en")
    assert loads == ["desk"]  # the first search loaded it, as before


def test_a_warm_up_that_fails_leaves_the_load_to_the_first_search(monkeypatch, caplog):
    with time_machine.travel(timezone.now() - 3 * OVERLAP):  # settled rows: no catch-up would read them again
        upsert_documents(DOCUMENTS)
    real_apply = store.CollectionIndex._apply

    def failing_apply(index, rows):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(store.CollectionIndex, "_apply", failing_apply)
    with caplog.at_level(logging.ERROR, logger="claims.matching.warmup"):
        warm_up()
    assert "could not warm up the matcher index desk" in caplog.text
    monkeypatch.setattr(store.CollectionIndex, "_apply", real_apply)

    found = find_similar("5G masts spread the coronavirus", language="en")

    assert [(m.kind, m.ref_id) for m in found][:1] == [("fact_check", 1)]


def test_gunicorn_starts_the_warm_up_in_each_worker(loads):
    upsert_documents(DOCUMENTS)
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["worker_class"] == "gthread"

    conf["post_worker_init"](worker=None)
    for thread in threading.enumerate():
        if thread.name == "matcher-warm-up-desk":
            thread.join(timeout=60)

    assert loads == ["desk"]
    assert store.collection_index("desk").watermark is not None


@pytest.mark.parametrize(
    ("queues", "warms_up"),
    [(None, True), ({"default"}, True), ({"default", "routing"}, True), ({"routing", "notifications"}, False)],
)
def test_a_worker_process_warms_up_only_where_reports_are_tracked(loads, queues, warms_up):
    upsert_documents(DOCUMENTS)
    thread = warm_up_worker_process(queues)
    if thread is not None:
        thread.join(timeout=60)

    assert (thread is not None) is warms_up
    assert loads == (["desk"] if warms_up else [])
