"""Emails of the desk, rendered from templates in reviews/templates/reviews/email/. Called by tasks only.

Each e-mail is sent once however often its task runs (a redelivered message, a duplicate, a retry, the sweep):

1. claim: a conditional UPDATE, committed on its own, sets the mail's `*_claimed_at` where it is not yet mailed and
   nobody holds it. Whoever loses the race sends nothing.
2. send. If sending raises, the claim is released before the error goes on, so the task's retry (or the sweep)
   sends it.
3. stamp `*_mailed_at`. The queue sweep (reviews/services/sla.py) sends again every mail that is not stamped.

A lost mail is worse than a second one: an offer nobody hears of expires and keeps that reviewer off the claim for
good, an overdue verdict nobody is told of stays overdue. So a claim only holds for MAIL_LEASE: a worker killed
between claiming and stamping leaves a claim that runs out, and the sweep sends that mail again. The one duplicate
left is a worker killed after the mail server took the mail and before the stamp was written.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import F, Model, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimStatus
from core.roles import Role
from reviews.models import Assignment, AssignmentState, UnroutableAlert
from reviews.selectors import queue_reason

log = logging.getLogger(__name__)

# A claim outlives any live sender: the worker kills a task at its hard time limit, so once that has passed since the
# claim, whoever claimed is gone and the mail is free again.
MAIL_LEASE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
# The task sent on commit normally mails within moments; the sweep leaves a mail that long before sending it again.
MAIL_GRACE = timedelta(minutes=2)


@dataclass(frozen=True)
class Stamp:
    """The two columns of one kind of mail: when a sender took it, and when it went out."""

    claimed: str
    mailed: str

    def unsent(self, now: datetime) -> Q:
        """Not mailed, and nobody holds it (never claimed, or the claimant is gone)."""
        free = Q(**{f"{self.claimed}__isnull": True}) | Q(**{f"{self.claimed}__lte": now - MAIL_LEASE})
        return Q(**{f"{self.mailed}__isnull": True}) & free


OFFER = Stamp("offer_mail_claimed_at", "offer_mailed_at")
ESCALATION = Stamp("escalation_mail_claimed_at", "escalation_mailed_at")
ALERT = Stamp("mail_claimed_at", "mailed_at")


def _claim(rows: QuerySet, pk: int, stamp: Stamp, now: datetime) -> bool:
    # Tasks run in autocommit, so this UPDATE commits at once: every other sender sees the claim before the mail goes.
    return bool(rows.filter(stamp.unsent(now), pk=pk).update(**{stamp.claimed: now}))


def _mail_once(model: type[Model], pk: int, stamp: Stamp, claimed_at: datetime, send: Callable[[], bool]) -> bool:
    """Send the claimed mail and stamp it; answers whether a mail went out."""
    try:
        sent = send()
    except BaseException:
        # Released (if the claim is still ours), so the task's retry or the next sweep sends it.
        model.objects.filter(pk=pk, **{stamp.claimed: claimed_at}).update(**{stamp.claimed: None})
        raise
    # Stamped even when there was nobody to write to: the sweep must not try it again every minute.
    model.objects.filter(pk=pk, **{f"{stamp.mailed}__isnull": True}).update(**{stamp.mailed: timezone.now()})
    return sent


def _editor_emails() -> list[str]:
    editors = get_user_model().objects.filter(groups__name=Role.EDITOR.group_name, is_active=True)
    return sorted(set(editors.exclude(email="").values_list("email", flat=True)))


def _send(template: str, context: dict, recipients: list[str]) -> bool:
    if not recipients:
        log.info("no recipient for %s", template)
        return False
    context = {**context, "site_url": settings.SITE_URL, "publisher_name": settings.FACTCHECK_PUBLISHER_NAME}
    subject = render_to_string(f"reviews/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"reviews/email/{template}.txt", context)
    send_mail(subject, body, None, recipients)
    return True


def _assignment(assignment_id: int) -> Assignment:
    return Assignment.objects.select_related("claim", "reviewer").get(pk=assignment_id)


def _send_offer(assignment: Assignment) -> bool:
    if not assignment.reviewer.email:
        return False
    # Reviewers work in the browser: the link opens their queue in the workspace, not the API's JSON.
    queue_url = settings.SITE_URL + reverse("workspace:queue")
    context = {"assignment": assignment, "claim": assignment.claim, "queue_url": queue_url}
    return _send("offer", context, [assignment.reviewer.email])


def _send_escalation(assignment: Assignment) -> bool:
    return _send("escalation", {"assignment": assignment, "claim": assignment.claim}, _editor_emails())


def _send_unroutable(claim: Claim) -> bool:
    context = {"claim": claim, "minutes": settings.UNROUTABLE_ALERT_MINUTES, "reason": queue_reason(claim)}
    return _send("unroutable", context, _editor_emails())


def notify_offer(assignment_id: int) -> bool:
    """Tell a reviewer about a new offer, once, unless it is no longer open."""
    now = timezone.now()
    if not _claim(Assignment.objects.filter(state=AssignmentState.OFFERED), assignment_id, OFFER, now):
        return False
    return _mail_once(Assignment, assignment_id, OFFER, now, lambda: _send_offer(_assignment(assignment_id)))


def notify_escalation(assignment_id: int) -> bool:
    """Tell the editors, once, that a verdict is overdue, unless the assignment has ended since."""
    now = timezone.now()
    escalated = Assignment.objects.filter(state=AssignmentState.ACCEPTED).exclude(escalated_at=None)
    if not _claim(escalated, assignment_id, ESCALATION, now):
        return False
    return _mail_once(Assignment, assignment_id, ESCALATION, now, lambda: _send_escalation(_assignment(assignment_id)))


def notify_unroutable(claim_id: int) -> bool:
    """Tell the editors, once per stay in the queue, that nobody could take the claim."""
    now = timezone.now()
    claim = Claim.objects.filter(pk=claim_id, status=ClaimStatus.QUEUED).first()
    if claim is None:
        return False
    # The alert of this stay in the queue: one of an earlier stay is not this one's.
    alert = UnroutableAlert.objects.filter(claim_id=claim_id, queued_since=claim.status_changed_at).first()
    if alert is None or not _claim(UnroutableAlert.objects.all(), alert.pk, ALERT, now):
        return False
    return _mail_once(UnroutableAlert, alert.pk, ALERT, now, lambda: _send_unroutable(claim))


# What the queue sweep sends again: mail neither stamped nor held, of rows that still need it.


def unsent_offers(now: datetime) -> QuerySet:
    open_offers = Assignment.objects.filter(state=AssignmentState.OFFERED, accept_by__gt=now)
    return open_offers.filter(OFFER.unsent(now), offered_at__lte=now - MAIL_GRACE)


def unsent_escalations(now: datetime) -> QuerySet:
    escalated = Assignment.objects.filter(state=AssignmentState.ACCEPTED, escalated_at__lte=now - MAIL_GRACE)
    return escalated.filter(ESCALATION.unsent(now))


def unsent_alerts(now: datetime) -> QuerySet:
    alerts = UnroutableAlert.objects.filter(ALERT.unsent(now), sent_at__lte=now - MAIL_GRACE)
    # Only while the claim is still in the stay the alert is about: routed since, there is nothing to tell.
    return alerts.filter(claim__status=ClaimStatus.QUEUED, claim__status_changed_at=F("queued_since"))
