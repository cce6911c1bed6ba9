"""A filter value the list cannot read is a 400 naming the parameter, as `?status=bogus` is: never a 500 from the
database, and never a value quietly read as something else."""

import pytest

from core.filters import MAX_ID
from reviews.models import Assignment

TOO_LARGE = ["99999999999999999999", str(MAX_ID + 1)]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [("/api/v1/claims/", "report"), ("/api/v1/assignments/", "claim")],
)
@pytest.mark.parametrize("value", [*TOO_LARGE, "1.5", "97.0", "0", "-3", "abc"])
def test_an_id_filter_refuses_what_is_not_an_id(api, editor, url, parameter, value):
    answer = api(editor).get(url, {parameter: value})

    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"].startswith("application/json")
    assert list(answer.json()) == [parameter]


@pytest.mark.parametrize(("url", "parameter"), [("/api/v1/claims/", "report"), ("/api/v1/assignments/", "claim")])
def test_the_largest_id_is_read_and_matches_nothing(api, editor, url, parameter):
    answer = api(editor).get(url, {parameter: str(MAX_ID)})

    assert answer.status_code == 200, answer.content
    assert answer.json()["results"] == []


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/claims/", "overdue"),
        ("/api/v1/assignments/", "mine"),
        ("/api/v1/assignments/", "overdue"),
        ("/api/v1/reviewers/", "active"),
        ("/api/v1/fact-checks/", "retracted"),
        ("/api/v1/webhooks/", "active"),
    ],
)
@pytest.mark.parametrize("value", ["maybe", "yes", "2", "truefalse"])
def test_a_true_false_filter_refuses_another_word(api, editor, url, parameter, value):
    answer = api(editor).get(url, {parameter: value})

    assert answer.status_code == 400, answer.content
    assert answer.json() == {parameter: ["Must be true or false (or 1 or 0)."]}


@pytest.mark.parametrize(
    ("value", "mine"), [("true", True), ("TRUE", True), ("1", True), ("false", False), ("0", False)]
)
def test_a_true_false_filter_reads_true_false_1_and_0_in_any_case(api, world, editor, value, mine):
    answer = api(editor).get("/api/v1/assignments/", {"mine": value})

    assert answer.status_code == 200, answer.content
    every = set(Assignment.objects.values_list("pk", flat=True))
    assert {row["id"] for row in answer.json()["results"]} == (set() if mine else every)


@pytest.mark.parametrize("value", ["", "True", "False"])
def test_an_empty_or_capitalised_true_false_filter_is_read(api, world, editor, value):
    assert api(editor).get("/api/v1/claims/", {"overdue": value}).status_code == 200
