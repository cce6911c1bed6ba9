"""A reviewer profile's languages are known codes, each once; its away date, when changed, is today or later. The
API, the admin and the add_member command keep one rule (ReviewerProfile.clean)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from reviews.models import AWAY_IN_THE_PAST, ReviewerProfile
from reviews.services.members import add_member


def profile_url(user) -> str:
    return f"/api/v1/reviewers/{user.reviewer_profile.pk}/"


def admin_form(profile: ReviewerProfile, **changes) -> dict:
    """Every field of the admin's change form as it stands, with `changes`."""
    fields = {
        "user": profile.user_id,
        "languages": '["' + '", "'.join(profile.languages) + '"]',
        "topics": [t.pk for t in profile.topics.all()],
        "capacity": profile.capacity,
        "active": "on" if profile.active else "",
        "away_until": profile.away_until.isoformat() if profile.away_until else "",
    }
    return {**fields, **changes}


@pytest.mark.parametrize(
    "sent, kept",
    [
        (["en", "en", "fr"], ["en", "fr"]),
        (["fr", "EN", " en ", "fr"], ["fr", "en"]),
        (["en_GB", "en-gb", "de"], ["en-gb", "de"]),
    ],
)
def test_it_keeps_each_language_once_in_the_order_first_given(api, reviewer, sent, kept):
    answer = api(reviewer).patch(profile_url(reviewer), {"languages": sent}, format="json")

    assert answer.status_code == 200, answer.content
    assert answer.json()["languages"] == kept
    reviewer.reviewer_profile.refresh_from_db()
    assert reviewer.reviewer_profile.languages == kept


def test_it_still_refuses_unknown_and_empty_language_lists(api, reviewer):
    unknown = api(reviewer).patch(profile_url(reviewer), {"languages": ["en", "xx"]}, format="json")
    empty = api(reviewer).patch(profile_url(reviewer), {"languages": []}, format="json")

    assert (unknown.status_code, unknown.json()) == (400, {"languages": ["Unknown language code: xx"]})
    assert empty.status_code == 400 and "languages" in empty.json()
    reviewer.reviewer_profile.refresh_from_db()
    assert reviewer.reviewer_profile.languages == ["en", "de"]


@pytest.mark.parametrize("day", [date(1900, 1, 1), "yesterday"])
def test_it_refuses_an_away_date_in_the_past(api, reviewer, editor, day):
    day = timezone.localdate() - timedelta(days=1) if day == "yesterday" else day

    for who in (reviewer, editor):
        answer = api(who).patch(profile_url(reviewer), {"away_until": day.isoformat()}, format="json")

        assert (answer.status_code, answer.json()) == (400, {"away_until": [AWAY_IN_THE_PAST]})
    reviewer.reviewer_profile.refresh_from_db()
    assert reviewer.reviewer_profile.away_until is None


def test_it_accepts_today_and_keeps_an_away_date_that_has_since_passed(api, reviewer):
    today = api(reviewer).patch(profile_url(reviewer), {"away_until": timezone.localdate().isoformat()}, format="json")
    passed = timezone.localdate() - timedelta(days=3)
    ReviewerProfile.objects.filter(user=reviewer).update(away_until=passed)

    # Sent back unchanged with another change, the passed date is no new date: the profile saves.
    again = api(reviewer).patch(
        profile_url(reviewer), {"away_until": passed.isoformat(), "languages": ["de"]}, format="json"
    )

    assert today.status_code == 200, today.content
    assert again.status_code == 200, again.content
    assert again.json()["away_until"] == passed.isoformat()


def test_the_admin_keeps_the_same_rules(client, editor, reviewer):
    client.force_login(editor)
    profile = reviewer.reviewer_profile
    change = f"/admin/reviews/reviewerprofile/{profile.pk}/change/"

    refused = client.post(change, admin_form(profile, away_until="1900-01-01"))
    saved = client.post(change, admin_form(profile, languages='["de", "EN", "de"]'))

    assert refused.status_code == 200  # the form again, with its error
    assert AWAY_IN_THE_PAST in refused.content.decode()
    assert saved.status_code == 302, saved.content.decode()[:2000]
    profile.refresh_from_db()
    assert (profile.languages, profile.away_until) == (["de", "en"], None)


def test_add_member_keeps_each_language_once(db):
    user = add_member(username="nora", role=Role.REVIEWER, languages=["fr", "fr", "en"])

    assert user.reviewer_profile.languages == ["fr", "en"]
