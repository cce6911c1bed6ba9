"""Reads for reports and claims, scoped to what each user may see."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from claims.models import Claim, Report
from claims.roles import Role, has_role, is_editor, roles_of

# Assignment states in which the reviewer works on, or has finished, the claim (the desk's names; claims must not
# import the desk, so it reads its rows only through the reverse relation).
_REVIEWER_VISIBLE_STATES = ("offered", "accepted", "completed")
_ACTIVE_STATES = ("offered", "accepted")


def _reviewer_claim_ids(user):
    return Claim.objects.filter(assignments__reviewer=user, assignments__state__in=_REVIEWER_VISIBLE_STATES).values(
        "pk"
    )


def claims_visible_to(user) -> QuerySet[Claim]:
    roles = roles_of(user)
    qs = Claim.objects.all()
    if Role.EDITOR in roles:
        return qs
    condition = Q(pk__in=[])
    if Role.JOURNALIST in roles:
        condition |= Q(submitted_by=user)
    if Role.REVIEWER in roles:
        condition |= Q(pk__in=_reviewer_claim_ids(user))
    return qs.filter(condition)


def claims_reviewable_by(user) -> QuerySet[Claim]:
    """Claims whose review (draft included) the user may read: editors all, reviewers those offered or assigned to
    them. A journalist sees the claims they submitted but reads the verdict once it is published, not the draft."""
    if is_editor(user):
        return Claim.objects.all()
    if has_role(user, Role.REVIEWER):
        return Claim.objects.filter(pk__in=_reviewer_claim_ids(user))
    return Claim.objects.none()


def overdue_claim_ids(now: datetime) -> QuerySet[Claim]:
    """Claims whose active assignment is past its verdict's due time (a subquery of ids, for filters)."""
    return Claim.objects.filter(assignments__state__in=_ACTIVE_STATES, assignments__due_at__lte=now).values("pk")


def reports_visible_to(user) -> QuerySet[Report]:
    roles = roles_of(user)
    if Role.EDITOR in roles:
        return Report.objects.all()
    if Role.JOURNALIST in roles or Role.REVIEWER in roles:
        visible_claims = claims_visible_to(user).filter(report=OuterRef("pk"))
        return Report.objects.filter(Q(submitted_by=user) | Exists(visible_claims))
    return Report.objects.none()
