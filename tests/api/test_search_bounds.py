"""?search= on every list takes at most ten words and 500 characters, with a clear 400 past that: each word adds a
clause over every search field, and a thousand of them made a query the database refused."""

import pytest

LISTS = ["/api/v1/fact-checks/", "/api/v1/claims/", "/api/v1/reports/", "/api/v1/claimants/"]


@pytest.mark.parametrize("url", LISTS)
def test_a_search_of_a_thousand_words_is_a_clear_400(api, editor, url):
    words = " ".join(f"w{n}" for n in range(1100))

    answer = api(editor).get(url, {"search": words})

    assert answer.status_code == 400
    assert "at most 10 words" in answer.json()["search"][0]


@pytest.mark.parametrize("url", LISTS)
def test_ten_words_in_any_script_are_searched(api, editor, url):
    words = "Переговоры длились пять часов 会谈 持续 वार्ता पाँच المحادثات ساعات"

    assert api(editor).get(url, {"search": words}).status_code == 200


def test_a_search_longer_than_500_characters_is_a_clear_400(api, editor):
    answer = api(editor).get("/api/v1/fact-checks/", {"search": "ж" * 501})

    assert answer.status_code == 400
