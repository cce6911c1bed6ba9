"""`manage.py build_matching_model` on a slice of CLEF 2020 Task 2, with debate sentences as distractors.

The slice: the first 60 training tweets, their gold claims and 200 others at a fixed stride; the distractors are a
small CSV in the CLEF 2019 Task 1 format. The command must write a model the matcher can load, the same one on a
second run, and never take a distractor for a gold claim.
"""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from claims import matching
from claims.matching import clef, evaluation, features, rerank, training
from claims.matching import encoder as encoder_module
from claims.matching.models import MatchDocument

from .clef_slice import DATA, write_slice

QUERIES = 60
OTHERS = 200
DEBATE = [
    ("1", "HOLT", "Thank you, Lester.", "0"),
    ("2", "TRUMP", "Our jobs are fleeing the country, they are going to Mexico and to many other countries.", "1"),
    ("3", "CLINTON", "Donald thinks that climate change is a hoax perpetrated by the Chinese.", "1"),
    ("4", "TRUMP", "Our jobs are fleeing the country, they are going to Mexico and to many other countries.", "1"),
    ("5", "HOLT", "We are going to move on to the next segment.", "0"),
    ("6", "PENCE", "Fine.", "0"),
]
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not DATA.exists(), reason=f"the CLEF 2020 Task 2 data is not at {DATA}"),
]


def write_debate(path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line_number", "speaker", "text", "label", "file_name"])
        writer.writerows([*row, "20160926_1pres.tsv"] for row in DEBATE)
    return path


def test_distractors_are_the_distinct_sentences_of_six_words_or_more_in_order(tmp_path):
    sentences = training.distractor_sentences(write_debate(tmp_path / "debate.csv"))
    assert sentences == [
        "Donald thinks that climate change is a hoax perpetrated by the Chinese.",
        "Our jobs are fleeing the country, they are going to Mexico and to many other countries.",
        "We are going to move on to the next segment.",
    ]


def test_loading_claims_with_distractors_keeps_them_apart_and_skips_a_second_load():
    claims = [clef.VerifiedClaim(7, "The moon landing was staged.", "Moon Landing Hoax")]
    distractors = ["We are going to move on to the next segment.", "Our jobs are going to Mexico, said Trump."]
    written, _ = evaluation.load_claims(claims, collection="training-test", distractors=distractors)
    rows = MatchDocument.objects.filter(collection="training-test").order_by("kind", "ref_id")
    assert written == 3
    assert list(rows.values_list("kind", "ref_id")) == [("claim", 1), ("claim", 2), ("external", 7)]
    assert evaluation.load_claims(claims, collection="training-test", distractors=distractors)[0] == 0
    # Other distractors replace the collection's documents, never add to them.
    evaluation.load_claims(claims, collection="training-test", distractors=distractors[:1])
    assert rows.count() == 2


@pytest.fixture
def training_slice(tmp_path):
    paths = write_slice(tmp_path, "train", QUERIES, OTHERS)
    paths["distractors"] = write_debate(tmp_path / "debate.csv")
    return paths


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matching.reset()
    rerank.models.cache_clear()
    yield
    matching.reset()
    rerank.models.cache_clear()


def build(paths, output: Path) -> dict:
    out = StringIO()
    call_command(
        "build_matching_model",
        claims=str(paths["claims.tsv"]),
        queries=str(paths["queries.tsv"]),
        qrels=str(paths["qrels"]),
        distractors=str(paths["distractors"]),
        output=str(output),
        stdout=out,
    )
    assert f"wrote {output}" in out.getvalue()
    return json.loads(output.read_text(encoding="utf-8"))


@pytest.mark.skipif(not encoder_module.encoder_available(), reason="the sentence encoder package is missing")
def test_it_writes_the_same_loadable_model_twice_and_records_the_distractors(training_slice, tmp_path):
    first = build(training_slice, tmp_path / "first.json")
    second = build(training_slice, tmp_path / "second.json")
    assert first == second
    assert first["training"]["queries"] == QUERIES
    assert first["training"]["distractors"] == 3
    assert len(first["training"]["distractors_sha256"]) == 64
    models = {kind: rerank.LinearModel.from_json(model) for kind, model in first["models"].items()}
    assert models["full"].names == features.FULL
    assert models["lexical"].names == features.LEXICAL
    # On its own training queries a fitted model ranks better than chance by far (MAP@5 about 0.9 here).
    assert first["validation"]["full"]["held_out_map5"] >= 0.7


@pytest.mark.skipif(not encoder_module.encoder_available(), reason="the sentence encoder package is missing")
def test_a_distractor_is_never_labelled_gold_even_when_it_shares_a_gold_claims_id():
    claims = [
        clef.VerifiedClaim(5, "Climate change is a hoax invented by China.", "Did China Invent Climate Change?"),
        clef.VerifiedClaim(6, "The moon landing was staged in a studio.", "Moon Landing Hoax"),
    ]
    distractor = "Donald thinks that climate change is a hoax perpetrated by the Chinese."
    evaluation.load_claims(claims, collection="training-test", distractors=[distractor])
    index = matching.store.collection_index("training-test")
    index.sync()
    queries = {1: distractor}
    vectors = {1: encoder_module.encode([distractor])[0]}
    # The qrels name claim 1: no verified claim has that id, the distractor has it as its reference id.
    tables = training.tables(index.languages["en"], queries, {1: {1}}, vectors, lambda ref: ("external", ref))
    (table,) = tables
    assert 1 in table.doc_ids  # the distractor reached the pool (it is the query, word for word)
    assert not table.labels.any()
    assert 5 in table.doc_ids
