"""Writes for reviewer profiles: availability changes release offers the reviewer can no longer take."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.selectors import topics_by_slug
from core.errors import InvalidInput, NotAllowed
from core.roles import is_editor
from core.sentinels import UNSET
from reviews.models import Assignment, AssignmentState, ReviewerProfile
from reviews.services.assignments import return_to_queue


def release_offers(profile: ReviewerProfile, *, actor, note: str) -> int:
    """Offers not yet accepted go back to the queue and on to someone else; accepted work stays with its editor's
    decision (escalation tells them when it is overdue)."""
    offers = Assignment.objects.select_for_update().filter(reviewer=profile.user, state=AssignmentState.OFFERED)
    released = 0
    for assignment in offers:
        return_to_queue(assignment, state=AssignmentState.RELEASED, actor=actor, note=note)
        released += 1
    return released


@transaction.atomic
def update_profile(
    *,
    profile_id: int,
    actor,
    active: bool | None = None,
    away_until: object = UNSET,
    languages: list[str] | None = None,
    topics: list[str] | None = None,
    capacity: int | None = None,
) -> ReviewerProfile:
    """Reviewers edit their own languages, topics and away date (a date, or None for "back"); editors edit any
    profile, including active and capacity. The profile's own rules (ReviewerProfile.clean) apply, as in the admin:
    languages are known codes, kept once each in their first order; a new away date is today or later."""
    profile = ReviewerProfile.objects.select_for_update().select_related("user").get(pk=profile_id)
    editor = is_editor(actor)
    if not editor and profile.user_id != actor.pk:
        raise NotAllowed("Reviewers may change only their own profile.")
    if not editor and (active is not None or capacity is not None):
        raise NotAllowed("Only editors change whether a reviewer is active and their capacity.")
    if languages is not None:
        if not languages:
            raise InvalidInput({"languages": ["Give one."]})
        profile.languages = languages
    if active is not None:
        profile.active = active
    if away_until is not UNSET:
        profile.away_until = away_until
    if capacity is not None:
        profile.capacity = capacity
    check_profile(profile)
    profile.save()
    if topics is not None:
        profile.topics.set(topics_by_slug(topics))
    release_if_unavailable(profile, actor=actor)
    return profile


def check_profile(profile: ReviewerProfile) -> None:
    """The profile's own rules, before any save: languages normalised, each once; no new away date in the past."""
    try:
        profile.full_clean()
    except ValidationError as exc:
        # A domain refusal (400 in the API, a message per row in admin actions) rather than a bare ValidationError.
        raise InvalidInput(exc.message_dict) from None


def release_if_unavailable(profile: ReviewerProfile, *, actor) -> int:
    """Called after any change to a profile (API or admin): an unavailable reviewer keeps no open offers."""
    if profile.is_available(timezone.localdate()) and profile.user.is_active:
        return 0
    return release_offers(profile, actor=actor, note=f"{profile.user.get_username()} is unavailable")
