"""A rating's value lies on its scale: the rating scale's admin page and the model refuse one beyond best and worst,
and ClaimReview never publishes a value its scale cannot hold."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from factcheck.record.models import Rating, RatingScale
from tests.factcheck.test_admin_edits_refresh_pages import form_values
from tests.factcheck.test_claimreview import build, full_claim, version_of


def save_scale_in_admin(client, scale: RatingScale, *, changes: dict | None = None, ratings: dict | None = None):
    """Post the scale's change page as the admin rendered it, with `changes` to the scale and `ratings`
    ({slug: {field: value}}) to its inline ratings."""
    url = reverse("admin:factcheck_ratingscale_change", args=[scale.pk])
    page = client.get(url)
    data = form_values(page.context["adminform"].form) | (changes or {})
    for inline in page.context["inline_admin_formsets"]:
        data |= form_values(inline.formset.management_form)
        for form in inline.formset.forms:
            data |= form_values(form)
            for field, value in (ratings or {}).get(form.instance.slug, {}).items():
                data[form[field].html_name] = value
    return client.post(url, data)


@pytest.fixture
def default_scale(db) -> RatingScale:
    scale = RatingScale.objects.get(is_default=True)
    assert (scale.worst, scale.best) == (1, 5)
    return scale


def test_the_admin_refuses_a_value_beyond_the_scale(admin_client, default_scale):
    answer = save_scale_in_admin(admin_client, default_scale, ratings={"half-true": {"value": "9"}})

    assert answer.status_code == 200  # the page again, with the error
    assert "9 is outside the scale" in answer.content.decode() and "from 1 to 5" in answer.content.decode()
    assert Rating.objects.get(scale=default_scale, slug="half-true").value == 3


def test_the_admin_saves_a_value_on_the_scale(admin_client, default_scale):
    answer = save_scale_in_admin(admin_client, default_scale, ratings={"half-true": {"value": "2"}})

    assert answer.status_code == 302
    assert Rating.objects.get(scale=default_scale, slug="half-true").value == 2


def test_the_admin_refuses_narrowing_a_scale_below_its_ratings(admin_client, default_scale):
    answer = save_scale_in_admin(admin_client, default_scale, changes={"best": "4"})

    assert answer.status_code == 200
    assert "5 is outside the scale" in answer.content.decode()
    assert RatingScale.objects.get(pk=default_scale.pk).best == 5


def test_the_model_refuses_a_value_beyond_either_end_of_a_scale_running_either_way(default_scale):
    upside_down = RatingScale.objects.create(slug="rank", name="Rank", best=1, worst=5)

    for scale, value in ((default_scale, 9), (default_scale, 0), (upside_down, 6)):
        with pytest.raises(ValidationError) as refused:
            Rating(scale=scale, slug="odd", label="Odd", value=value).full_clean()
        assert "value" in refused.value.message_dict, (scale, value)

    for scale, value in ((default_scale, 1), (default_scale, 5), (upside_down, 3)):
        Rating(scale=scale, slug="fine", label="Fine", value=value).full_clean()
    Rating(scale=default_scale, slug="unproven", label="Unproven", value=None).full_clean()


def test_claim_review_gives_a_value_beyond_its_scale_only_the_rating_name():
    beyond = Rating(scale=RatingScale(slug="s", name="S", best=5, worst=1), slug="half", label="Half true", value=9)

    review = build(version_of(full_claim(), beyond))

    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Half true"}


def test_a_value_stored_beyond_the_scale_before_the_rule_does_not_stop_the_page_from_saving(
    admin_client, default_scale
):
    Rating.objects.filter(scale=default_scale, slug="half-true").update(value=9)

    answer = save_scale_in_admin(admin_client, default_scale, ratings={"false": {"definition": "Plainly wrong."}})

    assert answer.status_code == 302
    assert Rating.objects.get(scale=default_scale, slug="false").definition == "Plainly wrong."
    refused = save_scale_in_admin(admin_client, default_scale, ratings={"half-true": {"value": "8"}})
    assert "8 is outside the scale" in refused.content.decode()
