"""`manage.py evaluate_matching` on a slice of CLEF 2020 Task 2: the measures print and the ranking is useful.

The slice is the first 30 development tweets, the verified claims they need and 300 others taken at a fixed stride
(330 claims instead of 10,375). With fewer distractors the task is easier than the full one: on this slice the
matcher scores MAP@5 0.98 with the encoder and 0.92 on words alone (0.89 and 0.76 on the full set). The floors, 0.9
and 0.8, leave room for another CPU's rounding but not for a lost feature or a mixed-up ranking (a random order
scores about 0.01).
"""

import re

import pytest
from django.core.management import CommandError

from claims import matching
from claims.matching import encoder as encoder_module

from .clef_slice import DATA, run_command, write_slice

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not DATA.exists(), reason=f"the CLEF 2020 Task 2 data is not at {DATA}"),
]
QUERIES = 30
OTHERS = 300


@pytest.fixture
def clef_slice(tmp_path):
    return write_slice(tmp_path, "dev", QUERIES, OTHERS)


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matching.reset()
    yield
    matching.reset()
    encoder_module.set_disabled(False)


def evaluate(paths) -> tuple[dict[str, float], str]:
    """The measures printed, and the machine line that says where they were measured."""
    text = run_command("evaluate_matching", paths)
    measures = {name: float(value) for name, value in re.findall(r"^(MAP@1|MAP@5|MRR): ([0-9.]+)$", text, re.M)}
    timing = re.search(r"^ms per query: median ([0-9.]+), p95 ([0-9.]+)$", text, re.M)
    assert timing, text
    measures["median"], measures["p95"] = float(timing.group(1)), float(timing.group(2))
    assert f"{QUERIES} queries" in text
    machine = re.search(r"^machine: (.+, \d+ cores \(.*\); .+)$", text, re.M)
    assert machine, text
    return measures, machine.group(1)


@pytest.mark.skipif(not encoder_module.encoder_available(), reason="the sentence encoder package is missing")
def test_it_prints_the_measures_and_ranks_most_gold_claims_first(clef_slice):
    measures, machine = evaluate(clef_slice)
    assert set(measures) == {"MAP@1", "MAP@5", "MRR", "median", "p95"}
    runtimes = r"one text on (onnx|torch), batches on (onnx|torch); one tweet-sized text: median [0-9.]+ ms$"
    assert re.search(runtimes, machine), machine
    assert measures["MAP@5"] >= 0.9
    assert measures["MAP@1"] <= measures["MAP@5"] <= 1.0
    assert 0 < measures["median"] <= measures["p95"]


def test_it_ranks_by_words_without_the_encoder(clef_slice):
    encoder_module.set_disabled(True)
    measures, machine = evaluate(clef_slice)
    assert machine.endswith("; no encoder")
    assert measures["MAP@5"] >= 0.8


@pytest.mark.skipif(not encoder_module.encoder_available(), reason="the training commands need the encoder")
@pytest.mark.parametrize("command", ["evaluate_matching", "build_matching_model", "tune_encoder"])
def test_the_matching_commands_say_which_file_they_could_not_read(clef_slice, tmp_path, command):
    missing = tmp_path / "no-such-qrels"
    with pytest.raises(CommandError, match=f"could not read the CLEF files: .*{missing.name}"):
        run_command(command, clef_slice, qrels=missing)
    unrelated = tmp_path / "unrelated.qrels"
    unrelated.write_text("999999\t0\t1\t1\n")
    with pytest.raises(CommandError, match="no query of --queries has a relevant claim"):
        run_command(command, clef_slice, qrels=unrelated)
