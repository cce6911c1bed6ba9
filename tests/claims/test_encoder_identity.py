"""Every stored vector carries the name of the encoder that wrote it: vectors of two encoders are never compared, and
`reencode_matching` brings a table written by an earlier encoder up to date."""

import logging
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from claims import matching
from claims.matching import DocumentInput, adapter, find_similar, onnx_model, reencode, store, upsert_documents
from claims.matching import encoder as encoder_module
from claims.matching import text as textlib
from claims.matching.models import MatchDocument

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not encoder_module.encoder_available(), reason="the sentence encoder package is missing"),
]

DESK = [
    DocumentInput("fact_check", 1, "5G mobile phone masts spread the coronavirus", "en"),
    DocumentInput("fact_check", 2, "Drinking bleach cures COVID-19 infections", "en"),
    DocumentInput("fact_check", 3, "Eating garlic protects you from the new coronavirus", "en"),
]
PARAPHRASE = "Consuming disinfectant heals people infected by the virus"  # shares no word with document 2


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matching.reset()
    yield
    matching.reset()


def written_by_another_encoder() -> None:
    """Give every row the vector of document 3 and an older encoder's name, as a table from before an upgrade."""
    garlic = MatchDocument.objects.get(ref_id=3).embedding
    MatchDocument.objects.update(embedding=garlic, encoder="all-MiniLM-L6-v2-0.0.9")
    matching.reset()


def stored_vector(ref_id: int) -> np.ndarray:
    return encoder_module.from_bytes(MatchDocument.objects.get(ref_id=ref_id).embedding)


def test_rows_are_labelled_with_the_encoder_that_wrote_their_vectors():
    upsert_documents(DESK)
    assert set(MatchDocument.objects.values_list("encoder", flat=True)) == {encoder_module.identity()}


def test_another_encoders_vectors_are_encoded_again_where_they_are_read(caplog):
    upsert_documents(DESK)
    written_by_another_encoder()
    with caplog.at_level(logging.WARNING, logger="claims.matching.store"):
        assert find_similar(PARAPHRASE, language="en")[0].ref_id == 2
    assert "encoding 3 rows" in caplog.text and "reencode_matching" in caplog.text
    index = store.collection_index("desk").languages["en"]
    fresh = encoder_module.encode([textlib.clean(DESK[1].text)])[0]
    position = index.ref_ids.index(2)
    assert float(index.dense.cosines(fresh, np.array([position]))[0]) > 0.999


def test_an_index_loaded_for_one_encoder_is_loaded_again_for_another(monkeypatch):
    upsert_documents(DESK)
    assert find_similar(PARAPHRASE, language="en")[0].ref_id == 2  # loaded with the adapter's vectors
    monkeypatch.setenv("MATCHING_ADAPTER", "off")
    find_similar(PARAPHRASE, language="en")
    index = store.collection_index("desk").languages["en"]
    packaged = encoder_module.encode([textlib.clean(DESK[1].text)])[0]
    assert float(index.dense.cosines(packaged, np.array([index.ref_ids.index(2)]))[0]) > 0.999


def test_reencode_stores_the_current_vectors_once():
    upsert_documents(DESK)
    written_by_another_encoder()
    assert reencode() == 3
    for doc in DESK:
        expected = encoder_module.encode([textlib.clean(doc.text)])[0]
        assert float(stored_vector(doc.ref_id) @ expected) > 0.999
    assert set(MatchDocument.objects.values_list("encoder", flat=True)) == {encoder_module.identity()}
    assert reencode() == 0


def test_reencode_leaves_a_row_whose_text_changed_while_it_encoded(monkeypatch):
    upsert_documents(DESK)
    written_by_another_encoder()
    real_encode = encoder_module.encode
    new_text = "Gargling salt water kills the coronavirus"

    def encode_while_an_editor_rewrites_document_3(texts, **options):
        if any("garlic" in text for text in texts):
            upsert_documents([DocumentInput("fact_check", 3, new_text, "en")])
        return real_encode(texts, **options)

    monkeypatch.setattr(encoder_module, "encode", encode_while_an_editor_rewrites_document_3)
    assert reencode() == 2
    monkeypatch.undo()
    row = MatchDocument.objects.get(ref_id=3)
    assert row.text == new_text
    assert float(stored_vector(3) @ encoder_module.encode([new_text])[0]) > 0.999


def test_the_command_reports_what_it_rewrote_and_a_collection_can_be_chosen():
    upsert_documents(DESK)
    upsert_documents(DESK[:1], collection="other")
    written_by_another_encoder()
    out = StringIO()
    call_command("reencode_matching", "--collection", "other", verbosity=0, stdout=out)
    assert f"1 documents now hold {encoder_module.identity()} vectors" in out.getvalue()
    assert MatchDocument.objects.filter(collection="desk").exclude(encoder=encoder_module.identity()).count() == 3


def test_the_adapter_changes_the_encoders_name_and_its_vectors(monkeypatch):
    assert adapter.active(), "the adapter ships in claims/matching/adapter/"
    tuned = encoder_module.identity()
    assert tuned.startswith("all-MiniLM-L6-v2-") and "+" in tuned
    assert onnx_model.model_file().name == f"{tuned}.onnx"
    monkeypatch.setenv("MATCHING_ADAPTER", "off")
    assert encoder_module.identity() == tuned.split("+")[0]
    assert onnx_model.model_file().name != f"{tuned}.onnx"
