"""The web benchmark's data set: claims in every status with their audit rows, assignments, reviews and sources;
published fact-checks with their frozen versions; the matcher's rows; claimants, topics and reports.

The rows are the ones the services write (claims.services.submit_claim, claims.transitions, reviews.services,
factcheck.record.services.publish and correct, claims.indexing), written in bulk by web_rows.RowWriter with explicit
ids. Left out: the webhook outbox's event rows (nothing reads them back on these pages). The matcher's rows carry
the vector of their claim's base sentence (web_vectors), not one encoded for each claim.
Django must be set up before `generate` runs; models are imported inside the functions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from web_rows import RowWriter, columns_of
from web_texts import LANGUAGES, claim_text, claimant_name, pick_language, topic_name

PASSWORD = "bench-pass-2026"
# Who the load signs in as (config.settings.bench names the journalist for the write ceiling too).
JOURNALIST, EDITOR = "bench-journalist0", "bench-editor0"
CHUNK = 5000  # claims per transaction
SPAN = timedelta(days=730)
# Share of the claims that are not published, by status; published ones are fixed by --scale (a fifth).
OPEN_STATUS_WEIGHTS = {
    "submitted": 30,
    "rejected": 20,
    "queued": 25,
    "assigned": 8,
    "in_review": 10,
    "awaiting_approval": 7,
}


@dataclass(frozen=True)
class Scale:
    claims: int
    fact_checks: int
    claimants: int
    topics: int = 40

    @classmethod
    def of(cls, claims: int) -> Scale:
        """100,000 claims: 20,000 fact-checks and 3,000 claimants, and proportionally at any other size."""
        return cls(claims, max(2, claims // 5), max(5, claims * 3 // 100))


@dataclass
class Actors:
    journalists: list[int]
    editors: list[int]
    reviewers: list[int]


def set_up_members() -> Actors:
    """Members through the service, as the desk creates them; each signs in with PASSWORD."""
    from core.roles import Role
    from reviews.services.members import add_member

    def add(name: str, role: Role, **extra: Any) -> int:
        # Only those who sign in get a password: hashing one costs a good part of a second.
        password = PASSWORD if name in (JOURNALIST, EDITOR) else None
        return add_member(username=name, role=role, password=password, email=f"{name}@example.org", **extra).pk

    codes = [language.code for language in LANGUAGES]
    return Actors(
        journalists=[add(f"bench-journalist{n}", Role.JOURNALIST) for n in range(5)],
        editors=[add(f"bench-editor{n}", Role.EDITOR) for n in range(3)],
        reviewers=[add(f"bench-reviewer{n}", Role.REVIEWER, languages=codes, capacity=50) for n in range(12)],
    )


@dataclass
class Catalog:
    """What claims point at, kept in memory to fill the versions' snapshots without reading the rows back."""

    claimants: list[tuple[int, str, str]]  # id, name, kind
    topics: list[int]
    reports: list[tuple[int, str, str, str, datetime]]  # id, headline, url, outlet, published_at
    ratings: list[Any]


def _statuses(scale: Scale, rng: random.Random) -> list[str]:
    published = set(rng.sample(range(scale.claims), min(scale.fact_checks, scale.claims)))
    retracted = set(list(published)[: max(1, len(published) // 50)])
    names, weights = list(OPEN_STATUS_WEIGHTS), list(OPEN_STATUS_WEIGHTS.values())
    return [
        ("retracted" if i in retracted else "published") if i in published else rng.choices(names, weights)[0]
        for i in range(scale.claims)
    ]


def _catalog(writer: RowWriter, scale: Scale, actors: Actors, start: datetime, rng: random.Random) -> Catalog:
    from claims.ingest.urls import url_key
    from claims.models import Claimant, Report, Topic
    from core.slugs import slug_base
    from core.text import name_key
    from factcheck.record.models import Rating

    ids = writer.next_ids([Topic, Claimant, Report])
    topic_id = ids[Topic._meta.label]
    topics = [
        (
            topic_id + n,
            f"{slug_base(topic_name(n), max_length=40, fallback='topic')}-{n}",
            topic_name(n),
            name_key(topic_name(n)),
        )
        for n in range(scale.topics)
    ]
    writer.write(*columns_of(Topic, ["id", "slug", "name", "name_key"]), topics)

    claimants, slugs = [], set()
    for n in range(scale.claimants):
        name, _ = claimant_name(n)
        kind = "Organization" if n % 7 == 0 else "Person"
        slug = base = slug_base(name, max_length=200, fallback="claimant")
        suffix = 2
        while slug in slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        slugs.add(slug)
        claimants.append((ids[Claimant._meta.label] + n, name, name_key(name), kind, slug, ""))
    writer.write(*columns_of(Claimant, ["id", "name", "name_key", "kind", "slug", "description"]), claimants)

    reports = []
    for n in range(max(1, scale.claims // 10)):
        language = pick_language(rng)
        url = f"https://news{n % 40}.example.org/{2024 + n % 3}/story-{n}"
        published = start - timedelta(hours=rng.randint(1, 500))
        headline = claim_text(rng, language, n)[:300]
        reports.append(
            (
                ids[Report._meta.label] + n,
                url,
                url_key(url),
                url_key(url),  # read: the article's own address is the one submitted
                "ready",
                "",
                headline,
                "",
                f"News {n % 40}",
                published,
                language.code,
                "",
                actors.journalists[n % len(actors.journalists)],
                None,
                published,  # tracked: the sweep leaves it alone
                published,
            )
        )
    report_columns = ["id", "url", "url_key", "article_key", "status", "failure", "headline", "author", "outlet",
                      "published_at", "language", "body", "submitted_by", "fetched_at", "tracked_at",
                      "created_at"]  # fmt: skip
    writer.write(*columns_of(Report, report_columns), reports)
    ratings = list(Rating.objects.filter(scale__is_default=True).select_related("scale"))
    return Catalog(
        claimants=[(row[0], row[1], row[3]) for row in claimants],
        topics=[row[0] for row in topics],
        reports=[(row[0], row[6], row[1], row[8], row[9]) for row in reports],
        ratings=ratings,
    )


def generate(scale: Scale, *, seed: int = 2026, progress: bool = True) -> dict[str, int]:
    """Writes the whole data set into the default database; returns the rows written per table."""
    from django.db import connection, transaction
    from tqdm import tqdm
    from web_claims import MODELS, ClaimRows
    from web_vectors import sentence_vectors

    from claims.models import Claimant, Report, Topic

    rng = random.Random(seed)
    writer = RowWriter(connection)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - SPAN - timedelta(days=30)
    actors = set_up_members()
    with transaction.atomic():
        catalog = _catalog(writer, scale, actors, start, rng)
    statuses = _statuses(scale, rng)
    rows = ClaimRows(writer, catalog, actors, rng, writer.next_ids(MODELS), sentence_vectors())
    with tqdm(total=scale.claims, unit=" claims", disable=not progress, mininterval=1) as bar:
        for first in range(0, scale.claims, CHUNK):
            last = min(first + CHUNK, scale.claims)
            times = (
                start + SPAN * (i / scale.claims) + timedelta(seconds=rng.randint(0, 3000)) for i in range(first, last)
            )
            with transaction.atomic():
                rows.write_chunk(list(zip(range(first, last), statuses[first:last], times, strict=True)))
            bar.update(last - first)
    writer.reset_sequences([*MODELS, Topic, Claimant, Report])  # the catalog's rows have explicit ids too
    writer.analyze()
    return dict(writer.written)


def newest_claim_id() -> int:
    from claims.models import Claim

    return Claim.objects.order_by("-id").values_list("id", flat=True).first() or 0


def forget_submissions(after_claim_id: int) -> int:
    """Delete the claims written after `after_claim_id` (by the submission load and its ceiling) with their rows
    and matcher documents, so that a `--reuse` run measures the data it generated and not one grown by every
    earlier run's submissions, which would fill the lists' first pages. Returns how many claims went."""
    from claims.matching.models import MatchDocument
    from claims.models import Claim

    MatchDocument.objects.filter(kind=MatchDocument.Kind.CLAIM, ref_id__gt=after_claim_id).delete()
    return Claim.objects.filter(pk__gt=after_claim_id).delete()[1].get(Claim._meta.label, 0)


def sample_slugs(count: int) -> list[str]:
    """Published verdicts spread over the whole list, for the cold verdict pages."""
    from factcheck.record.models import FactCheck

    slugs = list(FactCheck.objects.filter(retracted_at=None).order_by("id").values_list("slug", flat=True))
    return slugs[:: max(1, len(slugs) // max(1, count))][:count]
