"""Vectors stored before the encoder's label existed were written by the packaged model: the migration says so, and
the matcher then re-encodes them with the tuned encoder rather than comparing the two."""

import pytest

from tests.migrating import migrate

BEFORE = [("claims", "0009_report_ingestion")]
AFTER = [("claims", "0010_match_document_encoder")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stored_vectors_are_labelled_as_the_packaged_models_and_missing_ones_stay_unlabelled():
    old = migrate(BEFORE)
    documents = old.get_model("claims", "MatchDocument").objects
    documents.create(kind="claim", ref_id=1, language="en", text="with a vector", embedding=b"\0" * 1536)
    documents.create(kind="claim", ref_id=2, language="en", text="written without the encoder", embedding=None)

    new = migrate(AFTER)

    labels = dict(new.get_model("claims", "MatchDocument").objects.values_list("ref_id", "encoder"))
    assert labels == {1: "all-MiniLM-L6-v2-0.1.0", 2: ""}
    migrate()
