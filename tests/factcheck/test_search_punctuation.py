"""Searches as people type them: quotes, brackets, commas and hyphens around or inside words find what the words
find, in every script, on the public list and in the aggregators' search alike."""

import pytest

from core.roles import Role
from factcheck.record import lexemes
from reviews.services.members import add_member
from tests.factcheck.test_public_search import listed

TALKS = "The talks lasted more than five hours"


@pytest.fixture
def world(reviewer, make_claim, publish):
    add_member(username=reviewer.username, role=Role.REVIEWER, languages=["en", "zh-hans", "hi", "ar", "ru"])
    claims = [
        (TALKS, "Minister Jane Roe", "en", "It was four hours."),
        ("据报道中国经济增长很快", "习近平", "zh-hans", "数据显示增长放缓。"),
        ("सरकार ने कहा कि महंगाई घटी है", "नरेंद्र मोदी", "hi", "महंगाई बढ़ी है।"),
        ("قالت الوزارة إن التضخم انخفض", "وزير المالية", "ar", "التضخم ارتفع."),
        ("Путин сказал, что экономика выросла", "Владимир Путин", "ru", "Экономика сократилась."),
    ]
    for text, claimant, language, summary in claims:
        publish(make_claim(text, claimant=claimant, language=language, quote=""), summary=summary)


def searched(client, query: str) -> tuple[list[str], list[str]]:
    """What the public list and the aggregators' search find for `query`."""
    answer = client.get("/api/v1/fact-checks/", {"query": query})
    assert answer.status_code == 200
    return listed(client, "/fact-checks/?" + f"q={query}".replace("&", "%26")), [
        claim["text"] for claim in answer.json()["claims"]
    ]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('"five hours"', TALKS),
        ("“five hours”", TALKS),
        ("'five hours'", TALKS),
        ("hours,", TALKS),
        ("(five", TALKS),
        ("five-hours", TALKS),
        ("hours?!", TALKS),
        ("more-than-five", TALKS),
        ("Roe's", TALKS),  # the claimant, with an apostrophe
        ("«talks»", TALKS),
        ('"five days"', None),  # every word still has to match
        ("five-days", None),
        ("“经济增长”", "据报道中国经济增长很快"),
        ("经济增长。", "据报道中国经济增长很快"),
        ("「增长很快」", "据报道中国经济增长很快"),
        ("महंगाई।", "सरकार ने कहा कि महंगाई घटी है"),
        ('"महंगाई"', "सरकार ने कहा कि महंगाई घटी है"),
        ("«التضخم»", "قالت الوزارة إن التضخم انخفض"),
        ("التضخم،", "قالت الوزارة إن التضخم انخفض"),
        ("(Путин)", "Путин сказал, что экономика выросла"),
        ("«экономика»", "Путин сказал, что экономика выросла"),
        ("Путин-экономика", "Путин сказал, что экономика выросла"),
    ],
)
def test_punctuation_finds_what_the_words_find(client, world, query, found):
    assert searched(client, query) == ([found] if found else [], [found] if found else [])


def test_the_words_keep_their_letters_and_marks_in_every_script():
    search_words = lexemes.search_words
    assert search_words(['"five', "hours”", "five-hours", "(a)"]) == ["five", "hours", "five", "hours", "a"]
    assert search_words(["“经济增长”", "महंगाई।", "«التضخم»", "(Путин)"]) == ["经济增长", "महंगाई", "التضخم", "Путин"]
    assert search_words(["12%", "&|!", ":*", "<->"]) == ["12"]
    assert search_words(["a-b-c-d-e-f-g-h-i-j-k-l"], limit=10) == list("abcdefghij")
