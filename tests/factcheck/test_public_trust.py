"""What lets readers trust the public site: coloured rating badges frozen with each version, who checked and who
approved a verdict, summaries in the list, topics in the demo, a short language list on the tip form and the
claimant's kind in ClaimReview."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services as claim_services
from claims.models import Claim, Claimant, Origin
from factcheck.record import services as publishing
from factcheck.record.models import Rating, RatingScale, contrast_with_white
from reviews.demo import load_demo
from tests.factcheck.conftest import SUMMARY
from tests.factcheck.page_parsing import the_json_ld
from tests.factcheck.test_admin_edits_refresh_pages import change_in_admin, form_values

DARK_RED, GREEN, PURPLE = "#8b1a1a", "#2e6b30", "#5b2a86"


def html_of(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


def badge(colour: str, label: str) -> str:
    return f'<span class="rating badge badge-{colour[1:]}">{label}</span>'


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Pages refresh when the change commits; tests never commit, so run the commit's callbacks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def two_verdicts(make_claim, publish):
    false = publish(make_claim("The talks lasted more than five hours"), rating="false")
    true = publish(make_claim("Trade rose by 12% last year"), rating="mostly-true")
    return false, true


# Rating colours


def test_it_colours_each_rating_badge_on_the_list_verdict_embed_and_claimant_pages(client, two_verdicts):
    false, mostly_true = two_verdicts

    listing = html_of(client, "/fact-checks/")
    assert badge(DARK_RED, "False") in listing and badge(GREEN, "Mostly true") in listing
    assert badge(DARK_RED, "False") in html_of(client, false.get_absolute_url())
    assert badge(GREEN, "Mostly true") in html_of(client, mostly_true.get_absolute_url())
    assert badge(DARK_RED, "False") in html_of(client, reverse("discovery:embed", args=[false.slug]))
    claimant = html_of(client, "/claimants/minister-jane-roe/")
    assert badge(DARK_RED, "False") in claimant and badge(GREEN, "Mostly true") in claimant
    # The track record's rating names wear their colours too.
    assert re.search(
        r'<a class="rating badge badge-9a4a0c" href="[^"]+#rating-mostly-false">Mostly false</a>', claimant
    )

    sheet = client.get("/ratings.css")
    assert sheet["Content-Type"].startswith("text/css")
    rules = sheet.content.decode()
    assert ".badge-8b1a1a { background: #8b1a1a; }" in rules
    assert ".badge-2e6b30 { background: #2e6b30; }" in rules
    # Pages link the sheet (no style attributes under the CSP), versioned by the pages' stamp.
    assert re.search(r'<link rel="stylesheet" href="/ratings\.css\?v=[^"]+">', listing)
    assert " style=" not in listing


def test_its_default_colours_go_from_red_to_green_with_grey_off_the_scale(db):
    colours = dict(Rating.objects.filter(scale__is_default=True).values_list("slug", "colour"))

    assert colours == {
        "false": "#8b1a1a",
        "mostly-false": "#9a4a0c",
        "half-true": "#7a5c00",
        "mostly-true": "#2e6b30",
        "true": "#1e5631",
        "misleading": "#595959",
        "unverifiable": "#595959",
    }
    assert all(contrast_with_white(colour) >= 4.5 for colour in colours.values())


def test_it_keeps_the_published_colour_after_an_admin_edit_until_a_correction(
    client, admin_client, make_claim, publish, other_editor, committed
):
    fact_check = publish(make_claim(), rating="false")
    scale = RatingScale.objects.get(is_default=True)
    position = list(scale.ratings.order_by("position").values_list("slug", flat=True)).index("false")

    with committed():
        change_in_admin(admin_client, scale, inline_changes={f"ratings-{position}-colour": PURPLE})

    assert Rating.objects.get(scale=scale, slug="false").colour == PURPLE
    page = html_of(client, fact_check.get_absolute_url())
    assert badge(DARK_RED, "False") in page and PURPLE[1:] not in page
    assert badge(DARK_RED, "False") in html_of(client, "/fact-checks/")
    # The sheet holds the new colour for new verdicts and keeps the one the published version froze.
    rules = html_of(client, "/ratings.css")
    assert ".badge-5b2a86 { background: #5b2a86; }" in rules and ".badge-8b1a1a" in rules

    with committed():
        publishing.correct(claim_id=fact_check.claim_id, editor=other_editor, note="Our rating colours changed.")

    assert badge(PURPLE, "False") in html_of(client, fact_check.get_absolute_url())
    assert badge(DARK_RED, "False") in html_of(client, f"{fact_check.get_absolute_url()}v1/")


@pytest.mark.parametrize("colour", ["#f0b400", "#ffffff", "#8b8b8b"])
def test_it_refuses_a_colour_white_text_cannot_be_read_on(db, colour):
    rating = Rating.objects.get(scale__is_default=True, slug="half-true")
    rating.colour = colour

    with pytest.raises(ValidationError) as refused:
        rating.full_clean()

    assert "contrast" in str(refused.value) and "4.5:1" in str(refused.value)


def test_the_admin_refuses_a_low_contrast_colour_with_the_reason(admin_client):
    scale = RatingScale.objects.get(is_default=True)
    url = reverse("admin:factcheck_ratingscale_change", args=[scale.pk])
    page = admin_client.get(url)
    data = form_values(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        data |= form_values(inline.formset.management_form)
        for form in inline.formset.forms:
            data |= form_values(form)

    answer = admin_client.post(url, {**data, "ratings-0-colour": "#f0b400"})

    assert answer.status_code == 200  # the form again, with the reason
    assert "White text on #f0b400 has a contrast of 1.9:1" in answer.content.decode()
    assert Rating.objects.get(scale=scale, position=0).colour != "#f0b400"


def test_it_marks_a_retracted_verdict_distinctly(client, make_claim, publish, editor):
    fact_check = publish(make_claim(), rating="false")
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="Forged source.")

    listing = html_of(client, "/fact-checks/")
    embed = html_of(client, reverse("discovery:embed", args=[fact_check.slug]))

    retracted = '<span class="badge retracted"><del>False</del> <strong>Retracted</strong></span>'
    assert retracted in listing and retracted in embed
    assert 'class="rating' not in listing and 'class="rating' not in embed
    assert SUMMARY not in listing
    for sheet in ("factcheck/site.css", "factcheck/embed.css"):
        assert re.search(r"\.badge\.retracted \{[^}]*border: 2px solid", Path(finders.find(sheet)).read_text())


# Credits


@pytest.fixture
def named_reviewer(reviewer):
    reviewer.first_name, reviewer.last_name = "Рита", "Rossi"
    reviewer.save(update_fields=["first_name", "last_name"])
    return reviewer


def test_it_credits_the_reviewer_and_the_approving_editor_by_name(
    client, make_claim, publish, named_reviewer, other_editor, committed
):
    fact_check = publish(make_claim())

    assert "Checked by Рита Rossi, approved by eddie." in html_of(client, fact_check.get_absolute_url())

    with committed():
        publishing.correct(claim_id=fact_check.claim_id, editor=other_editor, note="Typo.", summary="Fixed.")

    # The correction is the second editor's; the check stays the reviewer's, and version 1 keeps its own credits.
    assert "Checked by Рита Rossi, approved by erin." in html_of(client, fact_check.get_absolute_url())
    assert "Checked by Рита Rossi, approved by eddie." in html_of(client, f"{fact_check.get_absolute_url()}v1/")


def test_it_names_roles_only_when_the_newsroom_publishes_no_names(
    client, make_claim, publish, named_reviewer, settings
):
    settings.FACTCHECK_CREDITS = "roles"
    fact_check = publish(make_claim())

    page = html_of(client, fact_check.get_absolute_url())

    assert "Checked by a reviewer, approved by an editor." in page
    assert "Rossi" not in page and "eddie" not in page


# The list, the demo, the tip form


def test_it_shows_each_fact_checks_current_summary_in_the_list(client, make_claim, publish, other_editor, committed):
    fact_check = publish(make_claim(), summary="The talks lasted four hours and forty minutes.")
    publish(make_claim("Trade rose by 12% last year"), summary="Trade rose by 9%.")
    with committed():
        publishing.correct(
            claim_id=fact_check.claim_id, editor=other_editor, note="Minutes.", summary="Four hours and 41 minutes."
        )

    listing = html_of(client, "/fact-checks/")

    assert '<p class="summary" dir="auto">Four hours and 41 minutes.</p>' in listing
    assert '<p class="summary" dir="auto">Trade rose by 9%.</p>' in listing
    assert "four hours and forty minutes" not in listing


def test_the_demo_fills_the_topics_page(client, db):
    load_demo()

    topics = html_of(client, "/topics/")

    assert 'href="/topics/diplomacy/"' in topics
    assert "The talks lasted more than five hours." in html_of(client, "/topics/diplomacy/")


def test_the_tip_form_lists_the_sites_languages_and_keeps_the_rest_under_other(client, make_claim, publish):
    publish(make_claim("Die Gespräche dauerten fünf Stunden", language="de"))

    page = html_of(client, "/tips/")

    short = re.search(r'<select name="language"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="([^"]+)"', short) == ["en", "de", "other"]
    other = re.search(
        r'<details>\s*<summary>[^<]+</summary>.*?<select name="other_language"[^>]*>(.*?)</select>', page, re.S
    )
    assert len(re.findall(r"<option", other.group(1))) > 100
    assert '<label for="id_other_language">Other language</label>' in page
    assert 'class="tip-form"' in page


def test_a_tip_in_another_language_still_reaches_the_editors(client, db):
    text = "قال الوزير إن البطالة انخفضت إلى النصف"

    answer = client.post("/tips/", {"text": text, "language": "other", "other_language": "ar"})

    assert answer.status_code == 302
    tip = Claim.objects.get(origin=Origin.READER_TIP)
    assert (tip.text, tip.language) == (text, "ar")


def test_a_tip_marked_other_without_a_language_says_what_is_missing(client, db):
    answer = client.post("/tips/", {"text": "Unemployment has halved since 2020", "language": "other"})

    assert answer.status_code == 400
    assert "Choose the language of the claim in this list." in answer.content.decode()
    assert "<details open>" in answer.content.decode()
    assert not Claim.objects.filter(origin=Origin.READER_TIP).exists()


# ClaimReview


def test_claim_review_names_an_organisation_claimant_as_an_organization(client, make_claim, publish, editor):
    claim = make_claim("The summit cost 40 million euros", claimant="Finance officials")
    claim_services.update_claimant(
        claimant_id=Claimant.objects.get(name="Finance officials").pk, user=editor, kind="Organization"
    )
    fact_check = publish(claim)

    review = the_json_ld(html_of(client, fact_check.get_absolute_url()))

    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Finance officials"}
    assert review["author"]["@type"] == "Organization"  # the publisher, never the reviewer or editor
