"""A verdict page's social card tags, written in Python (site/markup.py): the same values the template filters gave,
shortened where the cards would cut them, in every script."""

import unicodedata
from urllib.parse import quote

import pytest
from django.conf import settings
from django.template.defaultfilters import truncatechars
from django.utils.timezone import localtime

from factcheck.record import services as publishing
from factcheck.site.markup import truncated
from tests.factcheck.test_discovery import head_tags

LONG_HINDI = "सरकार ने कहा कि पिछले वर्ष देश में बेरोज़गारी दर घटकर चार प्रतिशत रह गई और किसानों की आय दोगुनी हो गई"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Short",
        "x" * 70,
        "x" * 71,
        LONG_HINDI,
        LONG_HINDI[:60],
        "Переговоры длились более пяти часов, заявил министр иностранных дел на пресс-конференции",
        "قال الوزير إن المحادثات استمرت أكثر من خمس ساعات في العاصمة يوم الثلاثاء الماضي وفق البيان",
        unicodedata.normalize("NFD", "Café Señor Zürich"),  # decomposed: truncatechars returns it composed
        "e" + "\u0301" * 80,  # combining marks count for nothing
    ],
)
@pytest.mark.parametrize("limit", [1, 20, 70])
def test_truncated_gives_what_truncatechars_gives(text, limit):
    assert truncated(text, limit) == truncatechars(text, limit)


def test_a_verdicts_cards_show_its_claim_rating_summary_and_times(client, make_claim, publish):
    fact_check = publish(make_claim(LONG_HINDI), rating="mostly-true", summary="It rose by 11.6%.")

    tags = head_tags(client.get(fact_check.get_absolute_url()).content.decode())

    assert tags.meta["og:title"] == f"Fact-check: {truncatechars(LONG_HINDI, 90)}"
    assert tags.meta["twitter:title"] == f"Fact-check: {truncatechars(LONG_HINDI, 70)}"
    assert tags.meta["twitter:title"].endswith("…") and len(tags.meta["twitter:title"]) < len(tags.meta["og:title"])
    assert tags.meta["og:description"] == tags.meta["twitter:description"] == "Mostly true. It rose by 11.6%."
    assert tags.meta["article:published_time"] == localtime(fact_check.published_at).isoformat()
    assert tags.meta["article:modified_time"] == localtime(fact_check.updated_at).isoformat()
    [link] = [link for link in tags.links if link.get("type") == "application/json+oembed"]
    assert link["href"] == f"{settings.SITE_URL}/oembed/?url={quote(fact_check.public_url, safe='')}&format=json"
    assert link["title"] == tags.meta["twitter:title"]


def test_a_retracted_verdicts_cards_give_the_reason_and_no_rating(client, make_claim, publish, editor):
    fact_check = publish(make_claim("Exports doubled"), summary="They fell by half.")
    reason = "Источник оказался подделкой: " + "подробности " * 20
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason=reason)

    html = client.get(fact_check.get_absolute_url()).content.decode()
    tags = head_tags(html)

    assert tags.meta["og:description"] == f"This fact-check was retracted: {truncatechars(reason, 160)}"
    assert tags.meta["twitter:description"] == "This fact-check was retracted."
    assert "They fell by half." not in tags.meta["og:description"] and "False" not in tags.meta["og:description"]
