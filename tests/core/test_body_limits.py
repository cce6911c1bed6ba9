"""Bodies too deep or too large get a clear 400 or 413 with a JSON message, never a 500 (RecursionError), on the
anonymous reader tip endpoint and on the members' endpoints alike."""

import json

import pytest

from claims.models import Claim, Report

TIPS = "/api/v1/tips/"
REPORTS = "/api/v1/reports/"
MAX_DEPTH = 32  # core.api_errors.StrictJSONParser.MAX_DEPTH


def nested(levels: int) -> bytes:
    """A JSON object whose `text` is an array nested `levels` deep in all (the outer object counts as one)."""
    return b'{"text": ' + b"[" * (levels - 1) + b"]" * (levels - 1) + b', "language": "en"}'


def post_raw(client, url: str, raw: bytes):
    return client.post(url, raw, content_type="application/json")


def json_answer(answer, code: int) -> dict:
    assert answer.status_code == code, answer.content[:300]
    assert answer["Content-Type"] == "application/json"
    return answer.json()


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 1000, 100_000])
def test_it_answers_400_to_deeply_nested_json_from_an_anonymous_reader(api, db, levels):
    detail = json_answer(post_raw(api(), TIPS, nested(levels)), 400)

    assert f"deeper than {MAX_DEPTH} levels" in detail["detail"]
    assert not Claim.objects.exists()


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 1000])
def test_it_answers_400_to_deeply_nested_json_sent_as_a_report(api, journalist, levels):
    raw = b'{"headline": "Summit ends", "language": "en", "body": ' + b"{}".join([b"[" * levels, b"]" * levels]) + b"}"

    detail = json_answer(post_raw(api(journalist), REPORTS, raw), 400)

    assert "deeper than" in detail["detail"]
    assert not Report.objects.exists()


def test_it_reads_a_body_nested_up_to_the_limit_as_usual(api, db):
    # Refused by validation (a list is not text), not by the depth guard: the guard leaves such bodies alone.
    errors = json_answer(post_raw(api(), TIPS, nested(MAX_DEPTH)), 400)

    assert "text" in errors


def test_it_does_not_count_brackets_inside_strings(api, journalist):
    body = "[" * 500 + '{"quoted \\" bracket [' + "}" * 40
    raw = json.dumps({"headline": "Brackets [[[", "language": "en", "body": body}).encode()

    answer = post_raw(api(journalist), REPORTS, raw)

    assert answer.status_code == 201, answer.content[:300]
    assert Report.objects.get().body == body


def test_it_answers_413_to_an_oversized_tip(api, db, settings):
    raw = json.dumps({"text": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE, "language": "en"}).encode()

    detail = json_answer(post_raw(api(), TIPS, raw), 413)

    assert f"limit of {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes" in detail["detail"]
    assert not Claim.objects.exists()


def test_it_answers_413_to_an_oversized_report_even_when_it_is_shallow_and_valid(api, journalist, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 300
    small = json.dumps({"headline": "Summit ends", "language": "en", "body": "x" * 100}).encode()
    large = json.dumps({"headline": "Summit ends", "language": "en", "body": "x" * 300}).encode()

    assert post_raw(api(journalist), REPORTS, small).status_code == 201
    json_answer(post_raw(api(journalist), REPORTS, large), 413)
    assert Report.objects.count() == 1
