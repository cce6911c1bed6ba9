"""Writes for the shared vocabulary of the desk: topics (routing and filters use them) and claimants.

Editors curate both; anyone signed in reads them. The admin edits the same rows, so the rules live here.
"""

from typing import Any

from django.db import transaction

from claims.errors import InvalidInput, NotAllowed
from claims.models import Claimant, Topic
from claims.roles import is_editor

_UNSET: Any = object()


def _require_editor(user, action: str) -> None:
    if not is_editor(user):
        raise NotAllowed(f"Only editors {action}.")


@transaction.atomic
def create_topic(*, user, slug: str, name: str) -> Topic:
    _require_editor(user, "add topics")
    if Topic.objects.filter(slug=slug).exists():
        raise InvalidInput({"slug": [f"A topic '{slug}' exists already."]})
    topic = Topic(slug=slug, name=" ".join(name.split()))
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def update_claimant(
    *, claimant_id: int, user, name: str = _UNSET, kind: str = _UNSET, description: str = _UNSET
) -> Claimant:
    """Editors fix a claimant's name, kind (Person or Organization, shown in ClaimReview) and description.

    The slug stays: it may already be part of links elsewhere.
    """
    _require_editor(user, "edit claimants")
    claimant = Claimant.objects.select_for_update().get(pk=claimant_id)
    if name is not _UNSET:
        name = " ".join(name.split())
        # Submission matches claimants by name regardless of case, so two names differing only in case would split
        # one claimant's claims in two.
        if Claimant.objects.filter(name__iexact=name).exclude(pk=claimant.pk).exists():
            raise InvalidInput({"name": [f"Another claimant is named '{name}'."]})
        claimant.name = name
    if kind is not _UNSET:
        claimant.kind = kind
    if description is not _UNSET:
        claimant.description = description
    claimant.full_clean()
    claimant.save()
    return claimant
