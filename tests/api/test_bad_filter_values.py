"""A filter value the list cannot read is a 400 naming the parameter, as `?status=bogus` is: never a 500 from the
database, and never a value quietly read as something else."""

import pytest

from core.filters import MAX_ID

TOO_LARGE = ["99999999999999999999", str(MAX_ID + 1)]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [("/api/v1/claims/", "report"), ("/api/v1/assignments/", "claim")],
)
@pytest.mark.parametrize("value", [*TOO_LARGE, "1.5", "0", "-3", "abc"])
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
