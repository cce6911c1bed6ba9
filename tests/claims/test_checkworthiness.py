"""Check-worthiness: the shipped model ranks sentences of a report, and the CLEF 2019 measures behind it."""

import csv
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.ingest import clef2019
from claims.ingest.checkworthiness import score_sentences

BENCHMARKS = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks"
CLEF_CSV = BENCHMARKS / "clef2019-task1" / "CT19-T1-Training.csv"
needs_clef = pytest.mark.skipif(not CLEF_CSV.is_file(), reason=f"CLEF 2019 Task 1 data not found at {CLEF_CSV}")

FIELDS = ["line_number", "speaker", "text", "label", "file_name"]


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def small_debates(path: Path) -> Path:
    """Two made-up debates: claims with numbers are check-worthy, greetings and questions are not."""
    claims = [
        "Unemployment fell to {n} percent last year.",
        "We cut taxes by ${n} billion for working families.",
        "Crime went up {n} percent in our cities since {y}.",
        "My opponent voted against the bill {n} times.",
    ]
    filler = ["Thank you very much.", "What would you do about that?", "Good evening, everybody.", "Let me finish."]
    rows = []
    for name in ("debate_a.tsv", "debate_b.tsv"):
        for i in range(24):
            is_claim = i % 3 == 0
            pattern = claims[i % len(claims)] if is_claim else filler[i % len(filler)]
            text = pattern.format(n=i + 3, y=1990 + i)
            rows.append({"line_number": i + 1, "speaker": "A", "text": text, "label": int(is_claim), "file_name": name})
    return write_csv(path, rows)


def printed(output: str, name: str) -> float:
    return float(re.search(rf"^{name}: ([0-9.]+)", output, re.MULTILINE).group(1))


def test_a_statistical_claim_outranks_filler():
    claim, filler = score_sentences(
        ["Unemployment fell to 3.5 percent last year, the lowest in 50 years.", "Thank you, good evening."]
    )
    assert claim > filler


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("ru", "Безработица снизилась до 3,5 процента в прошлом году."),
        ("ar", "انخفضت البطالة إلى 3.5 في المئة العام الماضي."),
        ("zh", "去年失业率降至3.5%\uff0c为50年来最低\u3002"),
        ("hi", "पिछले साल बेरोजगारी घटकर 3.5 प्रतिशत रह गई।"),
        ("en", ""),
    ],
)
def test_any_script_gets_a_score_between_0_and_1(language, sentence):
    scores = score_sentences([sentence, "…", "12"], language=language)
    assert len(scores) == 3
    assert all(0.0 <= score <= 1.0 for score in scores)


def test_digits_count_in_a_script_the_model_never_saw():
    with_number, without = score_sentences(
        ["Безработица снизилась до 3,5 процента в 2019 году.", "Безработица снизилась в прошлом году."],
        language="ru",
    )
    assert with_number > without


def test_no_sentences_no_scores():
    assert score_sentences([]) == []


def test_map_ranks_ties_in_line_order(tmp_path):
    # Rows out of order on purpose: the reader sorts by line number.
    rows = [
        {"line_number": 2, "speaker": "", "text": "b", "label": 1, "file_name": "one"},
        {"line_number": 1, "speaker": "", "text": "a", "label": 0, "file_name": "one"},
        {"line_number": 3, "speaker": "", "text": "c", "label": 0, "file_name": "one"},
        {"line_number": 4, "speaker": "", "text": "d", "label": 1, "file_name": "one"},
        {"line_number": 1, "speaker": "", "text": "e", "label": 1, "file_name": "two"},
        {"line_number": 2, "speaker": "", "text": "f", "label": 0, "file_name": "two"},
    ]
    lines = clef2019.read_lines(write_csv(tmp_path / "tiny.csv", rows))
    scores_by_text = {"a": 0.9, "b": 0.9, "c": 0.1, "d": 0.5, "e": 0.2, "f": 0.8}
    score, per_file = clef2019.mean_average_precision(lines, [scores_by_text[line.text] for line in lines])
    # one: ranked a (tie, earlier line), b, d, c -> hits at ranks 2 and 3: (1/2 + 2/3) / 2. two: hit at rank 2: 1/2.
    assert per_file == {"one": pytest.approx((1 / 2 + 2 / 3) / 2), "two": pytest.approx(1 / 2)}
    assert score == pytest.approx(((1 / 2 + 2 / 3) / 2 + 1 / 2) / 2)


def test_a_file_without_check_worthy_sentences_scores_zero():
    assert clef2019.average_precision([0, 0], [0.3, 0.1]) == 0.0


def test_evaluate_prints_the_measures(tmp_path):
    out = StringIO()
    call_command("evaluate_checkworthiness", "--input", str(small_debates(tmp_path / "debates.csv")), stdout=out)
    output = out.getvalue()
    assert printed(output, "files") == 2
    assert printed(output, "sentences") == 48
    assert 0.5 < printed(output, "MAP") <= 1.0
    assert printed(output, "ms per sentence") < 1.0


def test_building_twice_gives_the_same_file(tmp_path):
    data = small_debates(tmp_path / "debates.csv")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for target in (first, second):
        call_command("build_checkworthiness_model", "--input", str(data), "--output", str(target), stdout=StringIO())
    assert first.read_bytes() == second.read_bytes()
    out = StringIO()
    call_command("evaluate_checkworthiness", "--input", str(data), "--model", str(first), stdout=out)
    assert printed(out.getvalue(), "MAP") == 1.0


@needs_clef
def test_the_shipped_model_beats_the_published_results_on_held_out_debates():
    out = StringIO()
    call_command("evaluate_checkworthiness", "--input", str(CLEF_CSV), "--files", "validation", stdout=out)
    output = out.getvalue()
    assert printed(output, "files") == len(clef2019.VALIDATION_FILES)
    assert printed(output, "MAP") > 0.17
    assert printed(output, "ms per sentence") < 1.0


@needs_clef
def test_the_shipped_model_never_saw_the_validation_debates():
    from claims.ingest.checkworthiness import load_model

    assert not set(load_model().meta["trained_on"]) & set(clef2019.VALIDATION_FILES)
