"""After an encoder upgrade nobody has to run a command: beat sends `reencode_matching`, and a real worker stores the
current encoder's vectors on the rows an older one wrote."""

import time

import numpy as np
import pytest

from claims.matching import DocumentInput, stale_documents, upsert_documents
from claims.matching import encoder as encoder_module
from claims.matching import text as textlib
from claims.matching.models import MatchDocument
from tests.integration.conftest import CeleryProcess

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not encoder_module.encoder_available(), reason="the sentence encoder package is missing"),
]

TEXTS = [
    "5G mobile phone masts spread the coronavirus",
    "Drinking bleach cures COVID-19 infections",
    "Вакцина содержит микрочипы для слежки",
    "لقاح كورونا يغير الحمض النووي للإنسان",
    "政府说失业率下降了一半",
]


def test_beat_and_a_worker_bring_an_older_encoders_vectors_up_to_date(real_broker, tmp_path):
    upsert_documents([DocumentInput("fact_check", i, text, "en") for i, text in enumerate(TEXTS, start=1)])
    wrong = MatchDocument.objects.get(ref_id=1).embedding
    MatchDocument.objects.update(embedding=wrong, encoder="all-MiniLM-L6-v2-0.0.9")
    worker = CeleryProcess(
        tmp_path / "worker.log", "worker", "-Q", "default", "-c", "1", "--without-gossip", "--without-mingle"
    ).start()
    beat = CeleryProcess(
        tmp_path / "beat.log",
        "beat",
        "--schedule",
        str(tmp_path / "beat.schedule"),
        env={"MATCHING_REENCODE_SECONDS": "1"},
    ).start()
    try:
        worker.wait_for_log(" ready.", timeout_s=60)
        deadline = time.monotonic() + 90
        while stale_documents().exists() and time.monotonic() < deadline:
            time.sleep(0.5)

        assert not stale_documents().exists(), worker.log()[-3000:]
        for ref_id, text in enumerate(TEXTS, start=1):
            stored = encoder_module.from_bytes(MatchDocument.objects.get(ref_id=ref_id).embedding)
            fresh = encoder_module.encode([textlib.clean(text)])[0]
            assert float(np.dot(stored, fresh)) > 0.999, text
        assert "re-encoded 5 match documents" in worker.log()
    finally:
        beat.stop()
        worker.stop()
