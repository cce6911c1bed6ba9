"""A list's `language` filter reads a language as the API's inputs do: the desk's codes, and tags that read as one
("zh-TW" is "zh-hant", "EN" is "en"); a code the desk does not know is a 400, on every list."""

import pytest

from reviews.models import ReviewerProfile

LISTS = ["/api/v1/claims/", "/api/v1/reports/", "/api/v1/assignments/", "/api/v1/reviewers/", "/api/v1/fact-checks/"]


@pytest.mark.parametrize("url", LISTS)
def test_an_unknown_language_is_a_400(api, editor, url):
    answer = api(editor).get(url, {"language": "xx"})

    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == ["language"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("tag", ["zh-TW", "EN", "zh"])
def test_a_tag_that_reads_as_a_desk_language_is_taken(api, editor, url, tag):
    assert api(editor).get(url, {"language": tag}).status_code == 200


def test_a_reviewer_who_reads_traditional_chinese_is_found_by_zh_tw(api, editor, reviewer):
    ReviewerProfile.objects.filter(user=reviewer).update(languages=["en", "zh-hant"])

    found = api(editor).get("/api/v1/reviewers/", {"language": "zh-TW"}).json()["results"]

    assert [row["username"] for row in found] == [reviewer.username]


def test_claims_in_english_are_found_by_en_in_capitals(api, editor, make_claim):
    claim = make_claim("The talks lasted more than five hours")

    found = api(editor).get("/api/v1/claims/", {"language": "EN"}).json()["results"]

    assert [row["id"] for row in found] == [claim.pk]
