"""Reads for reports and claims, scoped to what each user may see."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from claims.models import Claim, Report
from claims.roles import Role, roles_of

# Assignment states in which the reviewer works on, or has finished, the claim (the desk's names; claims must not
# import the desk, so it reads its rows only through the reverse relation).
_REVIEWER_VISIBLE_STATES = ("offered", "accepted", "completed")


def _reviewer_claim_ids(user):
    return Claim.objects.filter(
        assignments__reviewer=user, assignments__state__in=_REVIEWER_VISIBLE_STATES
    ).values("pk")


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


def reports_visible_to(user) -> QuerySet[Report]:
    roles = roles_of(user)
    if Role.EDITOR in roles:
        return Report.objects.all()
    if Role.JOURNALIST in roles or Role.REVIEWER in roles:
        visible_claims = claims_visible_to(user).filter(report=OuterRef("pk"))
        return Report.objects.filter(Q(submitted_by=user) | Exists(visible_claims))
    return Report.objects.none()
