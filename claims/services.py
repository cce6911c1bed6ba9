"""Writes for reports and claims: submission, edits while submitted, triage, and the topics and claimants that
claims name."""

from datetime import date, datetime

from django.db import transaction

from claims.models import Claim, Claimant, ClaimStatus, Priority, Report, Topic
from claims.selectors import reports_citable_by, topics_by_slug
from claims.transitions import lock_claim, record_creation, transition_claim
from core.dispatch import enqueue_on_commit
from core.errors import IllegalTransition, InvalidInput, NotAllowed
from core.names import Task
from core.roles import Role, has_role, is_editor, require_editor
from core.sentinels import UNSET


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


def _locate_quote(report: Report | None, quote: str) -> tuple[int | None, int | None]:
    if not report or not quote or not report.body:
        return None, None
    start = report.body.find(quote)
    return (start, start + len(quote)) if start >= 0 else (None, None)


def _citable_report(user, report_id: int | None) -> Report | None:
    # A report the caller may not cite is reported as missing, not forbidden, so ids reveal nothing.
    if report_id is None:
        return None
    report = reports_citable_by(user).filter(pk=report_id).first()
    if report is None:
        raise InvalidInput({"report": ["No such report."]})
    return report


@transaction.atomic
def submit_claim(
    *,
    user,
    text: str,
    language: str,
    report: int | None = None,
    quote: str = "",
    claimant: str = "",
    claim_date: date | None = None,
    topics: list[str] | None = None,
) -> Claim:
    _require_submitter(user)
    report = _citable_report(user, report)
    topic_objs = topics_by_slug(topics or [])
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


@transaction.atomic
def edit_claim(
    *,
    claim_id: int,
    user,
    text: str = UNSET,
    quote: str = UNSET,
    claimant: str = UNSET,
    claim_date: date | None = UNSET,
    language: str = UNSET,
    topics: list[str] = UNSET,
) -> Claim:
    """The submitter (or an editor) corrects a claim until triage; what is left out stays as it is.

    Once triaged, the claim is the desk's and its wording is frozen (409): a reviewer checks what was accepted.
    """
    claim = lock_claim(claim_id)
    if claim.submitted_by_id != user.pk and not is_editor(user):
        raise NotAllowed("Only the claim's submitter or an editor may edit it.")
    if claim.status != ClaimStatus.SUBMITTED:
        raise IllegalTransition(f"A claim that is {claim.status} can no longer be edited.")
    if text is not UNSET:
        claim.text = text.strip()
    if quote is not UNSET:
        claim.quote = quote
        claim.quote_start, claim.quote_end = _locate_quote(claim.report, quote)
    if claimant is not UNSET:
        claim.claimant = get_or_create_claimant(claimant)
    if claim_date is not UNSET:
        claim.claim_date = claim_date
    if language is not UNSET:
        claim.language = language
    claim.full_clean()
    claim.save()
    if topics is not UNSET:
        claim.topics.set(topics_by_slug(topics))
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
        # Only a submitted claim is triaged: a repeated accept must not pull an assigned claim back to the queue.
        transition_claim(claim, to=ClaimStatus.QUEUED, actor=editor, note=reason, expect=(ClaimStatus.SUBMITTED,))
        enqueue_on_commit(Task.ROUTE_CLAIM, claim.pk)
    elif decision == "reject":
        if not reason.strip():
            raise InvalidInput({"reason": ["Say why the claim is rejected."]})
        transition_claim(claim, to=ClaimStatus.REJECTED, actor=editor, note=reason)
    else:
        raise InvalidInput({"decision": ["Use 'accept' or 'reject'."]})
    return claim


# The shared vocabulary of the desk: topics (routing and filters use them) and claimants. Editors curate both.


@transaction.atomic
def create_topic(*, user, slug: str, name: str) -> Topic:
    require_editor(user, "add topics")
    if Topic.objects.filter(slug=slug).exists():
        raise InvalidInput({"slug": [f"A topic '{slug}' exists already."]})
    topic = Topic(slug=slug, name=" ".join(name.split()))
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def update_claimant(
    *, claimant_id: int, user, name: str = UNSET, kind: str = UNSET, description: str = UNSET
) -> Claimant:
    """Editors fix a claimant's name, kind (Person or Organization, shown in ClaimReview) and description.

    The slug stays: it may already be part of links elsewhere.
    """
    require_editor(user, "edit claimants")
    claimant = Claimant.objects.select_for_update().get(pk=claimant_id)
    if name is not UNSET:
        name = " ".join(name.split())
        # Submission matches claimants by name regardless of case, so two names differing only in case would split
        # one claimant's claims in two.
        if Claimant.objects.filter(name__iexact=name).exclude(pk=claimant.pk).exists():
            raise InvalidInput({"name": [f"Another claimant is named '{name}'."]})
        claimant.name = name
    if kind is not UNSET:
        claimant.kind = kind
    if description is not UNSET:
        claimant.description = description
    claimant.full_clean()
    claimant.save()
    return claimant
