"""Reads of the claims app's own rows. Who may see which claim depends on the desk, so that lives in reviews."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from claims.models import Claim, Claimant, ClaimStatus, Report, Topic
from core.errors import InvalidInput
from core.roles import is_editor


def reports_citable_by(user) -> QuerySet[Report]:
    """Reports a submitter may cite in a new claim: editors any, journalists those they submitted or took a claim
    from, and every article submitted by its URL (one report per article for the whole newsroom)."""
    if is_editor(user):
        return Report.objects.all()
    own_claims = Claim.objects.filter(submitted_by=user, report=OuterRef("pk"))
    return Report.objects.filter(Q(submitted_by=user) | Exists(own_claims) | Q(url_key__gt=""))


# A published verdict's page, and a retracted one's tombstone, names the claimant to every reader.
WITH_A_PUBLIC_PAGE = (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED)


def claimants_named_on(claims: QuerySet[Claim]) -> QuerySet[Claimant]:
    """Claimants named on any of `claims` or on a claim whose verdict is public: a name a submitter gave stays with
    the people who may see that claim until its verdict is published.

    One EXISTS per claimant row, never a join, so the rows stay unique and a keyset page of them stays cheap."""
    shown = claims | Claim.objects.filter(status__in=WITH_A_PUBLIC_PAGE)
    return Claimant.objects.filter(Exists(shown.filter(claimant=OuterRef("pk"))))


def topics_by_slug(slugs: list[str]) -> list[Topic]:
    """The topics named by their slugs; an unknown slug is a 400 naming it."""
    found = list(Topic.objects.filter(slug__in=slugs))
    if missing := sorted(set(slugs) - {t.slug for t in found}):
        raise InvalidInput({"topics": [f"Unknown topic: {slug}" for slug in missing]})
    return found


def quote_segments(body: str, claims: list[Claim]) -> list[tuple[str, bool]]:
    """The report's text in pieces, each marked or not: a claim's quote is marked at its stored offsets.

    Offsets that no longer hold the quote (an editor changed the text since) mark nothing; overlapping quotes are
    marked as one stretch.
    """
    spans = sorted(
        (claim.quote_start, claim.quote_end)
        for claim in claims
        if claim.quote and claim.quote_start is not None and body[claim.quote_start : claim.quote_end] == claim.quote
    )
    segments, cursor = [], 0
    for start, end in spans:
        if end <= cursor:
            continue
        start = max(start, cursor)
        segments += [(body[cursor:start], False), (body[start:end], True)]
        cursor = end
    segments.append((body[cursor:], False))
    return [(text, marked) for text, marked in segments if text]
