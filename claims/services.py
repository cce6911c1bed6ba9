"""Writes for reports and claims: submission, edits while submitted, and triage."""

from datetime import date, datetime
from typing import Any

from django.db import transaction

from claims.dispatch import enqueue_on_commit
from claims.errors import IllegalTransition, InvalidInput, NotAllowed
from claims.models import Claim, Claimant, ClaimStatus, Priority, Report, Topic
from claims.roles import Role, has_role, is_editor
from claims.selectors import reports_visible_to
from claims.transitions import lock_claim, record_creation, transition_claim

ROUTE_TASK = "reviews.route_claim"


def _require_submitter(user) -> None:
    if not (has_role(user, Role.JOURNALIST) or is_editor(user)):
        raise NotAllowed("Only journalists and editors submit reports and claims.")


def get_or_create_claimant(name: str) -> Claimant | None:
    name = " ".join(name.split())
    if not name:
        return None
    claimant = Claimant.objects.filter(name__iexact=name).first()
    return claimant or Claimant.objects.create(name=name)


@transaction.atomic
def submit_report(
    *,
    user,
    headline: str,
    language: str,
    url: str = "",
    outlet: str = "",
    published_at: datetime | None = None,
    body: str = "",
) -> Report:
    _require_submitter(user)
    report = Report(
        url=url,
        headline=headline,
        outlet=outlet,
        published_at=published_at,
        language=language,
        body=body,
        submitted_by=user,
    )
    report.full_clean()
    report.save()
    return report


def _topics_by_slug(slugs: list[str]) -> list[Topic]:
    found = list(Topic.objects.filter(slug__in=slugs))
    if missing := sorted(set(slugs) - {t.slug for t in found}):
        raise InvalidInput({"topics": [f"Unknown topic: {slug}" for slug in missing]})
    return found


def _locate_quote(report: Report | None, quote: str) -> tuple[int | None, int | None]:
    if not report or not quote or not report.body:
        return None, None
    start = report.body.find(quote)
    return (start, start + len(quote)) if start >= 0 else (None, None)


@transaction.atomic
def submit_claim(
    *,
    user,
    text: str,
    language: str,
    report: Report | None = None,
    quote: str = "",
    claimant: str = "",
    claim_date: date | None = None,
    topics: list[str] | None = None,
) -> Claim:
    _require_submitter(user)
    # Citing a report needs the same right as seeing it; an unseen report is reported as missing, not forbidden.
    if report is not None and not reports_visible_to(user).filter(pk=report.pk).exists():
        raise InvalidInput({"report": ["No such report."]})
    topic_objs = _topics_by_slug(topics or [])
    start, end = _locate_quote(report, quote)
    claim = Claim(
        text=text.strip(),
        language=language,
        report=report,
        quote=quote,
        quote_start=start,
        quote_end=end,
        claimant=get_or_create_claimant(claimant),
        claim_date=claim_date,
        submitted_by=user,
    )
    claim.full_clean()
    claim.save()
    claim.topics.set(topic_objs)
    record_creation(claim, actor=user)
    return claim


_UNSET: Any = object()


@transaction.atomic
def edit_claim(
    *,
    claim_id: int,
    user,
    text: str = _UNSET,
    quote: str = _UNSET,
    claimant: str = _UNSET,
    claim_date: date | None = _UNSET,
    language: str = _UNSET,
    topics: list[str] = _UNSET,
) -> Claim:
    """The submitter (or an editor) corrects a claim until triage; what is left out stays as it is.

    Once triaged, the claim is the desk's and its wording is frozen (409): a reviewer checks what was accepted.
    """
    claim = lock_claim(claim_id)
    if claim.submitted_by_id != user.pk and not is_editor(user):
        raise NotAllowed("Only the claim's submitter or an editor may edit it.")
    if claim.status != ClaimStatus.SUBMITTED:
        raise IllegalTransition(f"A claim that is {claim.status} can no longer be edited.")
    if text is not _UNSET:
        claim.text = text.strip()
    if quote is not _UNSET:
        claim.quote = quote
        claim.quote_start, claim.quote_end = _locate_quote(claim.report, quote)
    if claimant is not _UNSET:
        claim.claimant = get_or_create_claimant(claimant)
    if claim_date is not _UNSET:
        claim.claim_date = claim_date
    if language is not _UNSET:
        claim.language = language
    claim.full_clean()
    claim.save()
    if topics is not _UNSET:
        claim.topics.set(_topics_by_slug(topics))
    return claim


@transaction.atomic
def triage_claim(*, claim_id: int, editor, decision: str, reason: str = "", priority: str | None = None) -> Claim:
    """An editor accepts a submitted claim into the queue (routing follows after commit) or rejects it."""
    if not is_editor(editor):
        raise NotAllowed("Only editors triage claims.")
    claim = lock_claim(claim_id)
    if decision == "accept":
        if priority:
            claim.priority = Priority(priority)
            claim.save(update_fields=["priority"])
        transition_claim(claim, to=ClaimStatus.QUEUED, actor=editor, note=reason)
        enqueue_on_commit(ROUTE_TASK, claim.pk)
    elif decision == "reject":
        if not reason.strip():
            raise InvalidInput({"reason": ["Say why the claim is rejected."]})
        transition_claim(claim, to=ClaimStatus.REJECTED, actor=editor, note=reason)
    else:
        raise InvalidInput({"decision": ["Use 'accept' or 'reject'."]})
    return claim
