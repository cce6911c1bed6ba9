"""After an encoder upgrade the worker stores the new vectors by itself: beat starts `reencode_matching`, which works
in slices, sends itself again while stale rows remain, and runs once at a time."""

import pytest
from django.conf import settings
from django.core.cache import cache

from claims import matching, tasks
from claims.matching import DocumentInput, upsert_documents
from claims.matching import encoder as encoder_module
from claims.matching.models import MatchDocument
from core.names import Task

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not encoder_module.encoder_available(), reason="the sentence encoder package is missing"),
]

OLD_ENCODER = "all-MiniLM-L6-v2-0.0.9"
TEXTS = [
    "5G mobile phone masts spread the coronavirus",
    "Drinking bleach cures COVID-19 infections",
    "Eating garlic protects you from the new coronavirus",
    "Вакцина содержит микрочипы для слежки",
    "لقاح كورونا يغير الحمض النووي للإنسان",
    "政府说失业率下降了一半",
    "टीका लगवाने से बांझपन होता है",
]


@pytest.fixture(autouse=True)
def _clean_state():
    matching.reset()
    cache.delete(tasks.REENCODE_LOCK)
    yield
    matching.reset()
    cache.delete(tasks.REENCODE_LOCK)


def desk_from_before_an_upgrade() -> None:
    upsert_documents([DocumentInput("fact_check", i, text, "en") for i, text in enumerate(TEXTS, start=1)])
    MatchDocument.objects.update(embedding=MatchDocument.objects.get(ref_id=3).embedding, encoder=OLD_ENCODER)


def current_vector_of(ref_id: int):
    text = MatchDocument.objects.get(ref_id=ref_id).text
    return encoder_module.encode([matching.text.clean(text)])[0]


def test_beat_starts_the_re_encoding():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == Task.REENCODE_MATCHING)
    assert entry["schedule"].total_seconds() > 0


def test_one_run_brings_every_stale_row_up_to_date_slice_by_slice(monkeypatch):
    desk_from_before_an_upgrade()
    monkeypatch.setattr(tasks, "REENCODE_SLICE", 1)  # each run reads one batch: a slice of 4 rows, then one of 3
    monkeypatch.setattr(matching, "REENCODE_BATCH", 4)
    sent = []
    real_delay = tasks.reencode_matching.delay
    monkeypatch.setattr(tasks.reencode_matching, "delay", lambda: sent.append(1) or real_delay())

    assert tasks.reencode_matching() == 4  # the first slice; the rest by the run it sent

    assert len(sent) == 1  # one more run, for the second slice; it found nothing left and sent no other
    assert set(MatchDocument.objects.values_list("encoder", flat=True)) == {encoder_module.identity()}
    for ref_id in (2, 6):
        stored = encoder_module.from_bytes(MatchDocument.objects.get(ref_id=ref_id).embedding)
        assert float(stored @ current_vector_of(ref_id)) > 0.999


def test_nothing_stale_costs_one_query_and_sends_nothing(monkeypatch, django_assert_max_num_queries):
    upsert_documents([DocumentInput("fact_check", 1, TEXTS[0], "en")])
    sent = []
    monkeypatch.setattr(tasks.reencode_matching, "delay", lambda: sent.append(1))
    with django_assert_max_num_queries(1):
        assert tasks.reencode_matching() == 0
    assert sent == []


def test_a_second_run_while_one_holds_the_lock_does_nothing():
    desk_from_before_an_upgrade()
    assert cache.add(tasks.REENCODE_LOCK, True, 60)  # a run in progress on another worker

    assert tasks.reencode_matching() == 0

    assert set(MatchDocument.objects.values_list("encoder", flat=True)) == {OLD_ENCODER}
    cache.delete(tasks.REENCODE_LOCK)
    assert tasks.reencode_matching() == len(TEXTS)
    assert cache.add(tasks.REENCODE_LOCK, True, 60), "the run released its lock"


def test_a_worker_without_the_encoder_leaves_the_rows_alone(monkeypatch):
    desk_from_before_an_upgrade()
    monkeypatch.setenv("MATCHING_ENCODER", "off")
    assert tasks.reencode_matching() == 0
    assert set(MatchDocument.objects.values_list("encoder", flat=True)) == {OLD_ENCODER}


def test_the_lock_is_released_when_the_run_fails(monkeypatch):
    desk_from_before_an_upgrade()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tasks, "reencode", broken)
    with pytest.raises(RuntimeError):
        tasks.reencode_matching()
    assert cache.add(tasks.REENCODE_LOCK, True, 60)
