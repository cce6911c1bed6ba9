"""Languages as people and programs write them: "zh", "zh-CN", "zh-TW", "EN" or "pt-PT" are taken as the desk's codes
("zh-hans", "zh-hant", "en", "pt") in the API and in reviewers' profiles, rather than refused."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import validate_language
from core.languages import desk_language
from reviews.models import ReviewerProfile


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("zh", "zh-hans"),
        ("zh-CN", "zh-hans"),
        ("zh_TW", "zh-hant"),
        ("zh-Hant-HK", "zh-hant"),
        ("EN", "en"),
        ("en-GB", "en-gb"),  # in the table as it is
        ("pt-PT", "pt"),
        ("sr-Latn", "sr-latn"),
        ("xx", ""),
        ("", ""),
    ],
)
def test_a_tag_is_read_as_the_desks_code(tag, code):
    assert desk_language(tag) == code


def test_a_claim_in_zh_is_taken_as_simplified_chinese(api, journalist):
    answer = api(journalist).post("/api/v1/claims/", {"text": "会谈持续了五个多小时", "language": "zh"}, format="json")

    assert answer.status_code == 201, answer.content
    assert answer.json()["language"] == "zh-hans"


def test_a_pasted_report_in_zh_tw_is_taken_as_traditional_chinese(api, journalist):
    answer = api(journalist).post(
        "/api/v1/reports/", {"body": "會談持續了五個多小時。", "language": "zh-TW"}, format="json"
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["language"] == "zh-hant"


def test_an_unknown_language_is_still_refused(api, journalist):
    answer = api(journalist).post("/api/v1/claims/", {"text": "Talks lasted hours", "language": "xx"}, format="json")

    assert answer.status_code == 400
    assert "language" in answer.json()


def test_a_reviewer_who_reads_zh_reads_simplified_chinese(reviewer):
    profile = ReviewerProfile.objects.get(user=reviewer)
    profile.languages = ["en", "zh", "ZH-cn"]

    profile.full_clean()

    assert profile.languages == ["en", "zh-hans"]


def test_the_desk_names_the_code_it_expects():
    with pytest.raises(ValidationError, match="Write 'zh-hans'"):
        validate_language("zh")
