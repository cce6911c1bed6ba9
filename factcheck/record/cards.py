"""What the public lists show of each fact-check, read as plain values.

A page of 20 cards is three queries (the page's keys, their rows, then their topics) and no model instances: building
the four models a row joins cost 5 of a page's 7 ms, for a card that shows a dozen values.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from claims.models import Claim
from core.slugs import slug_url
from core.statements import Statement
from factcheck.record.models import FactCheck


@dataclass(frozen=True, slots=True)
class TopicLink:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class FactCheckCard:
    url: str
    claim_text: str
    language: str
    claimant_name: str  # as the current version was published
    claimant_url: str  # "" when the claim has no claimant on record
    rating_label: str
    rating_colour: str
    retracted: bool
    corrected: bool
    summary: str
    published_at: datetime
    updated_at: datetime
    topics: tuple[TopicLink, ...]  # by name


CARD_VALUES = (
    "id",
    "slug",
    "published_at",
    "updated_at",
    "retracted_at",
    "claim_id",
    "claim__text",
    "claim__language",
    "claim__claimant__slug",
    "current_version__claimant_name",
    "current_version__rating_label",
    "current_version__rating_colour",
    "current_version__number",
    "current_version__summary",
)


# Compiled once (core/statements.py): building and compiling these two queries through the ORM cost 2 ms a page.
CARDS = Statement(lambda ids: FactCheck.objects.filter(pk__in=ids).values(*CARD_VALUES))
TOPICS = Statement(
    lambda claim_ids: (
        Claim.topics.through.objects.filter(claim_id__in=claim_ids)
        .order_by("topic__name", "topic_id")
        .values("claim_id", "topic__slug", "topic__name")
    )
)


def _topics_of(claim_ids: Sequence[int]) -> dict[int, list[TopicLink]]:
    topic_url = slug_url("factcheck:topic")
    topics: dict[int, list[TopicLink]] = defaultdict(list)
    for link in TOPICS.rows(claim_ids):
        topics[link["claim_id"]].append(TopicLink(name=link["topic__name"], url=topic_url(link["topic__slug"])))
    return topics


def fact_check_cards(fact_checks: QuerySet[FactCheck] | list[int]) -> list[FactCheckCard]:
    """The cards of these (published) fact-checks, given as a queryset or as their keys, in their order: the page's
    query reads only their keys."""
    if isinstance(fact_checks, QuerySet):
        ids = list(fact_checks.prefetch_related(None).values_list("pk", flat=True))
    else:
        ids = list(fact_checks)
    if not ids:
        return []
    by_id = {row["id"]: row for row in CARDS.rows(ids)}
    rows = [by_id[pk] for pk in ids if pk in by_id]
    topics = _topics_of([row["claim_id"] for row in rows])
    detail_url, claimant_url = slug_url("factcheck:detail"), slug_url("factcheck:claimant")
    return [
        FactCheckCard(
            url=detail_url(row["slug"]),
            claim_text=row["claim__text"],
            language=row["claim__language"],
            claimant_name=row["current_version__claimant_name"],
            claimant_url=claimant_url(row["claim__claimant__slug"]) if row["claim__claimant__slug"] else "",
            rating_label=row["current_version__rating_label"],
            rating_colour=row["current_version__rating_colour"],
            retracted=row["retracted_at"] is not None,
            corrected=row["current_version__number"] > 1,
            summary=row["current_version__summary"],
            published_at=row["published_at"],
            updated_at=row["updated_at"],
            topics=tuple(topics.get(row["claim_id"], ())),
        )
        for row in rows
    ]
