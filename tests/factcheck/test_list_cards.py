"""The lists' cards (record/cards.py) are read as plain values: they must show what the fact-checks' own models say."""

from django.urls import reverse

from claims.models import Topic
from factcheck.record import services as publishing
from factcheck.record.cards import fact_check_cards, slug_url
from factcheck.record.selectors import search_fact_checks
from tests.factcheck.conftest import SUMMARY


def test_a_card_shows_what_the_models_say(make_claim, publish, editor, other_editor):
    Topic.objects.create(slug="trade", name="Trade")
    Topic.objects.create(slug="economy", name="Экономика")
    plain = publish(make_claim("Trade rose by 12% last year", claimant="Министр Анна", topics=["trade", "economy"]))
    corrected = publish(make_claim("Exports doubled", claimant=""))
    publishing.correct(claim_id=corrected.claim_id, editor=other_editor, rating="mostly-false", note="A misread table.")
    retracted = publish(make_claim("Imports halved"))
    publishing.retract(claim_id=retracted.claim_id, editor=editor, reason="Forged source.")

    cards = {card.claim_text: card for card in fact_check_cards(search_fact_checks())}

    card = cards["Trade rose by 12% last year"]
    plain.refresh_from_db()
    assert card.url == plain.get_absolute_url()
    assert card.claimant_name == "Министр Анна"
    assert card.claimant_url == reverse("factcheck:claimant", kwargs={"slug": plain.claim.claimant.slug})
    assert [topic.name for topic in card.topics] == [t.name for t in Topic.objects.order_by("name")]
    assert [topic.url for topic in card.topics] == [
        reverse("factcheck:topic", kwargs={"slug": t.slug}) for t in Topic.objects.order_by("name")
    ]
    assert (card.rating_label, card.summary, card.corrected, card.retracted) == ("False", SUMMARY, False, False)
    assert (card.published_at, card.updated_at) == (plain.published_at, plain.updated_at)

    card = cards["Exports doubled"]
    assert (card.claimant_name, card.claimant_url, card.language) == ("", "", "en")
    assert (card.rating_label, card.corrected, card.topics) == ("Mostly false", True, ())

    assert cards["Imports halved"].retracted is True


def test_the_list_page_shows_the_cards(client, make_claim, publish, other_editor):
    Topic.objects.create(slug="trade", name="Trade")
    fact_check = publish(make_claim(claimant="Minister Jane Roe", topics=["trade"]))
    publishing.correct(claim_id=fact_check.claim_id, editor=other_editor, rating="mostly-false", note="A misread.")

    html = client.get("/fact-checks/").content.decode()

    assert f'<a href="{fact_check.get_absolute_url()}" lang="en">The talks lasted more than five hours</a>' in html
    assert f'<a href="/claimants/{fact_check.claim.claimant.slug}/">Minister Jane Roe</a>' in html
    assert '<a href="/topics/trade/">' in html
    assert "· corrected" in html
    assert '<span class="rating badge badge-9a4a0c">Mostly false</span>' in html


def test_a_slug_url_is_what_reverse_gives():
    for slug in ("trade", "a-b_c-9", "slug-placeholder-2"):
        assert slug_url("factcheck:detail")(slug) == reverse("factcheck:detail", kwargs={"slug": slug})
