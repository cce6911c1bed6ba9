"""Published means frozen: editing a rating, a claimant or a report changes no published verdict (its page, its
ClaimReview, the API, feeds, embeds) until an editor publishes a correction, which copies the new values."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from claims.models import Claim, Claimant, Report
from factcheck.record import services as publishing
from factcheck.record.models import FactCheckVersion, Rating, RatingScale
from tests.factcheck.page_parsing import the_json_ld
from tests.migrating import migrate


def page(client, url: str) -> str:
    # Admin edits refresh every cached page: so does each read here, so what is compared is what the page renders,
    # not a copy kept from before the edit.
    cache.clear()
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


def relabel_false() -> None:
    """Rename the rating, redefine it and move it on a rescaled scale: the admin now refuses this for a rating in use,
    a script or a shell would not."""
    Rating.objects.filter(slug="false", scale__is_default=True).update(
        label="Incorrect", definition="Wrong in a way that matters.", value=0
    )
    RatingScale.objects.filter(is_default=True).update(name="Truth-o-meter", best=10, worst=0)


def edit_report_and_claimant() -> None:
    Report.objects.update(
        headline="Summit collapses", url="https://news.example.org/renamed", outlet="Other News", published_at=None
    )
    Claimant.objects.update(name="Ms Roe", kind=Claimant.Kind.ORGANIZATION)


# The page and its ClaimReview


def test_it_keeps_the_page_and_json_ld_of_a_verdict_whose_rating_is_relabelled(client, make_claim, publish):
    fact_check = publish(make_claim(), rating="false")
    url = fact_check.get_absolute_url()
    before = page(client, url)

    relabel_false()
    after = page(client, url)

    assert after == before
    assert '<span class="rating badge badge-8b1a1a">False</span>' in after and "Incorrect" not in after
    assert "1 on our accuracy scale, from 1 (least accurate) to 5 (most accurate)" in after
    assert the_json_ld(after)["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_it_keeps_the_claim_review_appearance_when_the_report_and_claimant_are_edited(client, make_claim, publish):
    fact_check = publish(make_claim())
    url = fact_check.get_absolute_url()
    before = page(client, url)

    edit_report_and_claimant()
    after = page(client, url)

    assert after == before
    item = the_json_ld(after)["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Minister Jane Roe"}
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": "https://news.example.org/geneva-talks",
            "headline": "Ministers meet in Geneva",
            "publisher": {"@type": "Organization", "name": "Example News"},
        }
    ]
    assert "Summit collapses" not in after and "Ms Roe" not in after


def test_it_keeps_every_other_rendering_of_a_published_verdict(client, api, make_claim, publish):
    fact_check = publish(make_claim(), rating="false")
    slug = fact_check.slug

    relabel_false()
    edit_report_and_claimant()
    cache.clear()

    body = api().get(f"/api/v1/fact-checks/{slug}/").json()
    assert body["rating"] == {
        "slug": "false",
        "label": "False",
        "value": 1,
        "best": 5,
        "worst": 1,
        "definition": "The claim is not accurate.",
    }
    assert body["claimant"] == "Minister Jane Roe"
    assert body["claim_review"]["reviewRating"]["alternateName"] == "False"
    search = api().get("/api/v1/fact-checks/", {"query": "talks"}).json()
    assert search["claims"][0]["claimReview"][0]["textualRating"] == "False"
    assert search["claims"][0]["claimant"] == "Minister Jane Roe"
    assert "<title>False: The talks" in client.get("/feeds/fact-checks.atom").content.decode()
    feed = client.get("/feeds/claimreview.json").json()
    assert feed["items"][0]["reviewRating"]["alternateName"] == "False"
    embed = client.get(f"/fact-checks/{slug}/embed/").content.decode()
    assert (
        '<span class="rating badge badge-8b1a1a">False</span>' in embed
        and "Claimed by <bdi>Minister Jane Roe</bdi>" in embed
    )
    listed = page(client, "/fact-checks/")
    assert '<span class="rating badge badge-8b1a1a">False</span>' in listed and "Minister Jane Roe" in listed


# A correction copies the current values


def test_it_shows_the_new_label_only_after_a_correction_and_keeps_the_old_version_as_it_was(
    client, make_claim, publish, other_editor
):
    fact_check = publish(make_claim(), rating="false")
    relabel_false()
    edit_report_and_claimant()

    version = publishing.correct(
        claim_id=fact_check.claim_id, editor=other_editor, note="Our scale and the report's headline changed."
    )

    assert (version.number, version.rating_label, version.scale_best) == (2, "Incorrect", 10)
    assert (version.claimant_name, version.report_headline) == ("Ms Roe", "Summit collapses")
    current = page(client, fact_check.get_absolute_url())
    assert '<span class="rating badge badge-8b1a1a">Incorrect</span>' in current
    assert the_json_ld(current)["reviewRating"]["alternateName"] == "Incorrect"
    assert the_json_ld(current)["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ms Roe"}
    assert "The rating changed from False to Incorrect." in current
    old = page(client, f"{fact_check.get_absolute_url()}v1/")
    assert '<span class="rating badge badge-8b1a1a">False</span>' in old and "Ministers meet in Geneva" in old
    log = page(client, "/corrections/")
    assert "Our scale and the report&#x27;s headline changed." in log
    assert "The rating changed from False to Incorrect." in log


def test_it_copies_the_rating_claimant_and_report_into_the_version_at_publication(make_claim, publish):
    fact_check = publish(make_claim())
    version = FactCheckVersion.objects.get(fact_check=fact_check)

    assert (version.rating_label, version.rating_value, version.scale_best, version.scale_worst) == ("False", 1, 5, 1)
    assert (version.claimant_name, version.claimant_kind) == ("Minister Jane Roe", "Person")
    assert (version.report_headline, version.report_outlet) == ("Ministers meet in Geneva", "Example News")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_fills_the_copies_of_versions_published_before_the_migration_from_their_rows():
    # The claims' rows come from today's models (claims' own migrations are not the subject here).
    user = get_user_model().objects.create(username="eddie")
    claimant = Claimant.objects.create(name="Ministry of Trade", kind=Claimant.Kind.ORGANIZATION)
    report = Report.objects.create(
        headline="Trade figures out", url="https://news.example.org/t", language="en", submitted_by=user
    )
    with_all = Claim.objects.create(
        text="Trade rose", language="en", claimant=claimant, report=report, submitted_by=user
    )
    bare = Claim.objects.create(text="Taxes fell", language="en", submitted_by=user)
    old = migrate([("factcheck", "0004_webhook_delivery_schedule")])
    rating = old.get_model("factcheck", "Rating").objects.get(slug="misleading", scale__is_default=True)
    now = timezone.now()
    for claim in (with_all, bare):
        fact_check = old.get_model("factcheck", "FactCheck").objects.create(
            claim_id=claim.pk, slug=f"c-{claim.pk}", published_at=now, updated_at=now
        )
        old.get_model("factcheck", "FactCheckVersion").objects.create(
            fact_check=fact_check, number=1, rating=rating, summary="s", explanation="e", created_by_id=user.pk
        )

    new = migrate()

    versions = new.get_model("factcheck", "FactCheckVersion").objects.order_by("fact_check__claim__text")
    copies = [
        (v.rating_label, v.rating_value, v.scale_name, v.scale_best, v.scale_worst, v.claimant_name, v.claimant_kind)
        for v in versions
    ]
    assert copies == [
        ("Misleading", None, "Accuracy scale", 5, 1, "", ""),
        ("Misleading", None, "Accuracy scale", 5, 1, "Ministry of Trade", "Organization"),
    ]
    reports = [(v.report_headline, v.report_url, v.report_outlet, v.report_published_at) for v in versions]
    assert reports == [("", "", "", None), ("Trade figures out", "https://news.example.org/t", "", None)]
    assert all(v.rating_definition for v in versions)


# The admin


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-for-admin-only")
    client = Client()
    client.force_login(user)
    return client


def scale_change_data(scale: RatingScale, **label_of) -> dict:
    """The rating scale's admin change form as the browser posts it, with some ratings' labels changed."""
    ratings = list(scale.ratings.order_by("position"))
    data = {
        "name": scale.name,
        "slug": scale.slug,
        "best": scale.best,
        "worst": scale.worst,
        "is_default": "on" if scale.is_default else "",
        "ratings-TOTAL_FORMS": len(ratings),
        "ratings-INITIAL_FORMS": len(ratings),
        "ratings-MIN_NUM_FORMS": 0,
        "ratings-MAX_NUM_FORMS": 1000,
    }
    for i, rating in enumerate(ratings):
        row = {
            "id": rating.pk,
            "scale": scale.pk,
            "slug": rating.slug,
            "label": label_of.get(rating.slug.replace("-", "_"), rating.label),
            "value": "" if rating.value is None else rating.value,
            "definition": rating.definition,
            "position": rating.position,
            "colour": rating.colour,
        }
        data |= {f"ratings-{i}-{key}": value for key, value in row.items()}
    return data


def test_it_freezes_in_the_admin_a_rating_a_published_verdict_uses(admin_client, make_claim, publish):
    publish(make_claim(), rating="false")
    scale = RatingScale.objects.get(is_default=True)
    url = f"/admin/factcheck/ratingscale/{scale.pk}/change/"

    form = admin_client.get(url).content.decode()
    answer = admin_client.post(url, scale_change_data(scale, false="Incorrect", true="Correct"))

    assert "publish a correction" in form
    assert answer.status_code == 302, answer.content.decode()[:3000]
    labels = dict(scale.ratings.values_list("slug", "label"))
    assert labels["false"] == "False"  # used by a published verdict: read-only
    assert labels["true"] == "Correct"  # used by none: still editable
    scale.refresh_from_db()
    assert (scale.best, scale.worst) == (5, 1)


@pytest.mark.parametrize(
    ("model", "change"),
    [
        (Claimant, {"name": "Ms Roe", "kind": "Person", "slug": "minister-jane-roe", "description": ""}),
        (
            Report,
            {
                "headline": "Summit collapses",
                "url": "https://news.example.org/geneva-talks",
                "outlet": "Example News",
                "published_at_0": "",
                "published_at_1": "",
                "language": "en",
                "body": "The talks lasted more than five hours.",
            },
        ),
    ],
)
def test_it_warns_in_the_admin_that_published_verdicts_keep_the_old_text(
    admin_client, make_claim, publish, model, change
):
    fact_check = publish(make_claim())
    row = model.objects.get()

    answer = admin_client.post(f"/admin/claims/{model._meta.model_name}/{row.pk}/change/", change)

    assert answer.status_code == 302, answer.content.decode()[:3000]
    warnings = [str(m) for m in get_messages(answer.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        f"1 published verdict still shows the old {'name' if model is Claimant else 'headline'}: a verdict keeps "
        "what it was published with until an editor publishes a correction of it."
    ]
    assert "Ministers meet in Geneva" in page(Client(), fact_check.get_absolute_url())


def test_it_does_not_warn_about_rows_no_published_verdict_shows(admin_client, make_claim):
    make_claim()
    claimant = Claimant.objects.get()

    answer = admin_client.post(
        f"/admin/claims/claimant/{claimant.pk}/change/",
        {"name": "Ms Roe", "kind": "Person", "slug": claimant.slug, "description": ""},
    )

    assert answer.status_code == 302
    assert [m for m in get_messages(answer.wsgi_request) if m.level_tag == "warning"] == []
