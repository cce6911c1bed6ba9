"""Who routing may consider at all: availability is decided once, by the selector that lists candidates."""

from datetime import timedelta

from django.utils import timezone

from reviews.models import ReviewerProfile
from reviews.selectors import routing_candidates


def candidate_ids(language="en"):
    return {c.user_id for c in routing_candidates(language)}


def test_it_lists_an_active_reviewer_who_speaks_the_language(reviewer):
    assert candidate_ids("en") == {reviewer.pk}
    assert candidate_ids("fr") == set()


def test_it_skips_a_reviewer_who_is_away(reviewer, other_reviewer):
    ReviewerProfile.objects.filter(user=reviewer).update(away_until=timezone.localdate() + timedelta(days=1))

    assert candidate_ids() == {other_reviewer.pk}


def test_it_lists_a_reviewer_whose_absence_ends_today(reviewer):
    ReviewerProfile.objects.filter(user=reviewer).update(away_until=timezone.localdate())

    assert candidate_ids() == {reviewer.pk}


def test_it_skips_a_paused_profile_and_a_disabled_account(reviewer, other_reviewer):
    ReviewerProfile.objects.filter(user=reviewer).update(active=False)
    other_reviewer.is_active = False
    other_reviewer.save(update_fields=["is_active"])

    assert candidate_ids() == set()
