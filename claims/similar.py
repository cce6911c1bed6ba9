"""Reads of "has this been checked already?": the earlier claims, our published fact-checks and other publishers'
fact-checks closest to a text, in one shape for the API, the workspace and the desk.

The matcher (claims.matching) ranks; this module decides what a caller may see: editors every earlier claim,
journalists and reviewers only their own, and everyone the published verdicts.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from claims import matching
from claims.matching.models import MatchDocument
from core.roles import is_editor

Kind = MatchDocument.Kind
# Below this score a match is named, not numbered: the re-ranker's low scores rank well but read badly as numbers
# (a loose paraphrase of the right verdict can score under 0.01, and "0.00 match" tells a journalist nothing).
CLOSENESS_SHOWN_FROM = 0.3


@dataclass(frozen=True)
class SimilarItem:
    kind: str
    id: int  # the claim's id (claims and our fact-checks), or the external fact-check's id
    text: str
    language: str
    score: float
    payload: dict  # link, rating, publisher, published date (claims.matching.models)
    document_id: int | None = None  # the matcher's row

    @property
    def is_fact_check(self) -> bool:
        return self.kind in (Kind.FACT_CHECK, Kind.EXTERNAL)

    @property
    def closeness(self) -> str:
        return closeness(self.score)

    @property
    def fact_check(self) -> dict | None:
        """The verdict this item carries: ours (with its slug) or another publisher's."""
        if not self.is_fact_check:
            return None
        keys = ("slug", "url", "rating", "rating_colour", "publisher", "published_at")
        verdict = {key: self.payload.get(key) for key in keys}
        if self.kind == Kind.FACT_CHECK:
            # Ours is named and linked as the site is now: the payload was written when the verdict was indexed.
            verdict["publisher"] = settings.FACTCHECK_PUBLISHER_NAME
            verdict["url"] = _our_page(self.payload)
        return verdict


def _our_page(payload: dict) -> str | None:
    if path := payload.get("path"):
        return settings.SITE_URL + path
    stored, site = payload.get("url"), urlsplit(settings.SITE_URL)
    # Indexed before the path was kept: the same page, at the site's address of today.
    return urlunsplit(urlsplit(stored)._replace(scheme=site.scheme, netloc=site.netloc)) if stored else stored


def closeness(score: float) -> str:
    """A match in words for people: "close" at or above the "already fact-checked" threshold, "possible" with its
    score below it, "loose" (no number) under CLOSENESS_SHOWN_FROM."""
    if score >= settings.MATCHING_THRESHOLD:
        return f"close match ({score:.2f})"
    if score >= CLOSENESS_SHOWN_FROM:
        return f"possible match ({score:.2f})"
    return "loose match"


def similar_item(document: MatchDocument, score: float | None) -> SimilarItem:
    return SimilarItem(
        kind=document.kind,
        id=document.ref_id,
        text=document.payload.get("claim") or document.text,
        language=document.language,
        score=round(score or 0.0, 4),
        payload=document.payload,
        document_id=document.pk,
    )


def _from_match(match: matching.Match) -> SimilarItem:
    return SimilarItem(
        kind=match.kind,
        id=match.ref_id,
        text=match.payload.get("claim") or match.text,
        language=match.language,
        score=round(match.score, 4),
        payload=match.payload,
        document_id=match.document_id,
    )


def base_language(code: str) -> str:
    """The matcher keeps languages apart by their base code: "en-GB" and "en" are one language."""
    return code.strip().lower().split("-")[0].split("_")[0]


def visible_to(item: SimilarItem, user) -> bool:
    """Earlier claims are their submitter's and the editors'; verdicts are everyone's."""
    if item.kind != Kind.CLAIM or user is None or is_editor(user):
        return True
    return item.payload.get("submitted_by") == user.pk


def similar_to_text(
    text: str, *, language: str, user=None, exclude_claim: int | None = None, limit: int | None = None
) -> list[SimilarItem]:
    """The closest earlier claims and fact-checks, best first; a claim never matches itself."""
    return similar_to_texts([text], language=language, user=user, exclude_claim=exclude_claim, limit=limit)[0]


def similar_to_texts(
    texts: list[str], *, language: str, user=None, exclude_claim: int | None = None, limit: int | None = None
) -> list[list[SimilarItem]]:
    """similar_to_text for each of `texts`, matched as one batch."""
    limit = limit or settings.MATCHING_RESULTS
    exclude = {(Kind.CLAIM, exclude_claim), (Kind.FACT_CHECK, exclude_claim)} if exclude_claim else frozenset()
    # Asking for a few more leaves room for the claims this user may not see.
    found = matching.find_similar_many(texts, language=base_language(language), limit=limit * 2, exclude=exclude)
    return [[item for item in map(_from_match, matches) if visible_to(item, user)][:limit] for matches in found]


def already_fact_checked(items: list[SimilarItem]) -> SimilarItem | None:
    """The best verdict at or above the configured score, if any: the desk warns before anyone checks it again."""
    best = [item for item in items if item.is_fact_check and item.score >= settings.MATCHING_THRESHOLD]
    return max(best, key=lambda item: item.score, default=None)
