"""Emails of the desk, rendered from templates in reviews/templates/reviews/email/. Called by tasks only."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from claims.models import Claim, ClaimStatus
from core.roles import Role
from reviews.models import Assignment, AssignmentState
from reviews.selectors import queue_reason

log = logging.getLogger(__name__)


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


def notify_offer(assignment_id: int) -> bool:
    """Tell a reviewer about a new offer, unless it is no longer open."""
    assignment = Assignment.objects.select_related("claim", "reviewer").filter(pk=assignment_id).first()
    if assignment is None or assignment.state != AssignmentState.OFFERED or not assignment.reviewer.email:
        return False
    # Reviewers work in the browser: the link opens their queue in the workspace, not the API's JSON.
    queue_url = settings.SITE_URL + reverse("workspace:queue")
    context = {"assignment": assignment, "claim": assignment.claim, "queue_url": queue_url}
    return _send("offer", context, [assignment.reviewer.email])


def notify_escalation(assignment_id: int) -> bool:
    assignment = Assignment.objects.select_related("claim", "reviewer").filter(pk=assignment_id).first()
    if assignment is None or assignment.state != AssignmentState.ACCEPTED:
        return False
    return _send("escalation", {"assignment": assignment, "claim": assignment.claim}, _editor_emails())


def notify_unroutable(claim_id: int) -> bool:
    claim = Claim.objects.filter(pk=claim_id, status=ClaimStatus.QUEUED).first()
    if claim is None:
        return False
    context = {"claim": claim, "minutes": settings.UNROUTABLE_ALERT_MINUTES, "reason": queue_reason(claim)}
    return _send("unroutable", context, _editor_emails())
