"""`manage.py build_matching_model` on a slice of CLEF 2020 Task 2 (the first 60 training tweets, their gold claims and
200 others at a fixed stride): it must write a model the matcher can load, and the same one on a second run.
"""

import json
from pathlib import Path

import pytest

from claims import matching
from claims.matching import encoder as encoder_module
from claims.matching import features, rerank

from .clef_slice import DATA, run_command, write_slice

QUERIES = 60
OTHERS = 200
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not DATA.exists(), reason=f"the CLEF 2020 Task 2 data is not at {DATA}"),
    pytest.mark.skipif(not encoder_module.encoder_available(), reason="the sentence encoder package is missing"),
]


@pytest.fixture
def training_slice(tmp_path):
    return write_slice(tmp_path, "train", QUERIES, OTHERS)


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matching.reset()
    yield
    matching.reset()


def build(paths, output: Path) -> dict:
    assert f"wrote {output}" in run_command("build_matching_model", paths, output=output)
    return json.loads(output.read_text(encoding="utf-8"))


def test_it_writes_the_same_loadable_model_twice(training_slice, tmp_path):
    first = build(training_slice, tmp_path / "first.json")
    second = build(training_slice, tmp_path / "second.json")
    assert first == second
    assert first["training"]["queries"] == QUERIES
    models = {kind: rerank.LinearModel.from_json(model) for kind, model in first["models"].items()}
    assert models["full"].names == features.FULL
    assert models["lexical"].names == features.LEXICAL
    # Fitted on this slice, the model ranks its held-out queries' gold near the top (MAP@5 about 0.9; chance 0.01).
    assert first["validation"]["full"]["held_out_map5"] >= 0.7


def test_it_fits_on_the_packaged_models_cosines_and_leaves_the_adapter_on(training_slice, tmp_path):
    tuned = encoder_module.identity()
    written = build(training_slice, tmp_path / "model.json")
    assert written["training"]["encoder"] == tuned.split("+")[0]
    assert encoder_module.identity() == tuned
    text = "5G masts spread the coronavirus"
    assert (encoder_module.encode([text]) == encoder_module.encode([text, text])[:1]).all()
