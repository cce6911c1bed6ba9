"""Reads of the published record, shaped for pages and the public API."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value

from claims.ingest.models import ClaimAppearance
from claims.models import Claimant, Topic
from core.errors import InvalidInput
from factcheck.record.claimreview import build_claim_review, with_repetitions
from factcheck.record.models import FactCheck, FactCheckVersion, Rating


def public_fact_checks() -> QuerySet[FactCheck]:
    """Published fact-checks with what their pages link to. What a verdict shows of its rating, claimant and report
    is read from the version's copies (record/snapshot.py): the live rows give only slugs for links and filters."""
    return FactCheck.objects.select_related(
        "claim__claimant",
        "current_version__rating",
        "current_version__fact_check",
        "current_version__created_by",
        "current_version__reviewed_by",
    ).exclude(current_version=None)


def claim_review_for(fact_check: FactCheck, *, with_repeats: bool = False) -> dict:
    """The version's frozen ClaimReview; `with_repeats` adds the claim's later repetitions (`repetitions`) to
    itemReviewed.appearance, as the page and the API show them."""
    version = fact_check.current_version
    version.fact_check = fact_check  # share the already loaded claim
    review = build_claim_review(version, site_url=settings.SITE_URL, publisher_name=settings.FACTCHECK_PUBLISHER_NAME)
    return with_repetitions(review, repetitions(fact_check).shown) if with_repeats else review


REPETITIONS_SHOWN = 20
# For lists: each fact-check's repetitions in one query per page (`repetitions` reads this prefetch when present).
APPEARANCES_PREFETCH = Prefetch(
    "claim__appearances",
    queryset=ClaimAppearance.objects.select_related("report", "claimant").order_by("-appeared_on", "-id"),
)


@dataclass(frozen=True)
class Repetitions:
    """The newest reports that repeated a claim after its verdict, and how many there are in all."""

    shown: list[ClaimAppearance]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


NO_REPETITIONS = Repetitions(shown=[], total=0)


def repetitions(fact_check: FactCheck) -> Repetitions:
    """What a verdict's page, its ClaimReview and the API show of the claim's repetitions: none for a retracted
    verdict (its tombstone stands alone) or where the newsroom turned them off (settings.FACTCHECK_SHOW_REPETITIONS).
    """
    if fact_check.retracted_at is not None or not settings.FACTCHECK_SHOW_REPETITIONS:
        return NO_REPETITIONS
    found = list(fact_check.claim.appearances.all())  # ordered by APPEARANCES_PREFETCH, or by the model's default
    found.sort(key=lambda appearance: (appearance.appeared_on, appearance.pk), reverse=True)
    return Repetitions(shown=found[:REPETITIONS_SHOWN], total=len(found))


def default_ratings() -> QuerySet[Rating]:
    return Rating.objects.filter(scale__is_default=True).select_related("scale")


def badge_colours() -> list[str]:
    """Every colour a rating badge may show: the ratings' own, and those frozen in published versions."""
    live = Rating.objects.order_by().values_list("colour", flat=True)
    frozen = FactCheckVersion.objects.order_by().values_list("rating_colour", flat=True)
    return sorted(set(live.union(frozen)))


def rating_on_default_scale(slug: str) -> Rating:
    rating = default_ratings().filter(slug=slug).first()
    if rating is None:
        raise InvalidInput({"rating": [f"'{slug}' is not a rating on the scale."]})
    return rating


# Reads of the public site's pages. Each returns everything its page shows in a fixed number of queries.

SEARCH_TERMS = 10


def verdict_versions() -> Prefetch:
    versions = FactCheckVersion.objects.select_related("rating", "created_by", "reviewed_by")
    return Prefetch("versions", queryset=versions.order_by("number"))


def fact_check_page(slug: str) -> FactCheck | None:
    """A fact-check with all its versions (for the corrections log and old versions) and its claim's topics."""
    return (
        public_fact_checks()
        .prefetch_related(verdict_versions(), "claim__topics", APPEARANCES_PREFETCH)
        .filter(slug=slug)
        .first()
    )


def fact_checks_listed() -> QuerySet[FactCheck]:
    return public_fact_checks().prefetch_related("claim__topics").order_by("-published_at", "-id")


def search_fact_checks(
    *,
    text: str = "",
    rating: str = "",
    topic: str = "",
    claimant: str = "",
    language: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[FactCheck]:
    """Every word of `text` must appear in the claim, its claimant or the summary; the other filters narrow."""
    qs = fact_checks_listed()
    for term in text.split()[:SEARCH_TERMS]:
        qs = qs.filter(
            Q(claim__text__icontains=term)
            | Q(claim__claimant__name__icontains=term)
            | Q(current_version__claimant_name__icontains=term)
            | Q(current_version__summary__icontains=term)
        )
    if rating:
        qs = qs.filter(current_version__rating__slug=rating, retracted_at=None)
    if topic:
        qs = qs.filter(claim__topics__slug=topic)
    if claimant:
        qs = qs.filter(claim__claimant__slug=claimant)
    if language:
        qs = qs.filter(claim__language=language)
    if since:
        qs = qs.filter(published_at__date__gte=since)
    if until:
        qs = qs.filter(published_at__date__lte=until)
    return qs


def topics_with_fact_checks() -> QuerySet[Topic]:
    published = Count("claims__fact_check", filter=Q(claims__fact_check__current_version__isnull=False))
    return Topic.objects.annotate(fact_check_count=published).filter(fact_check_count__gt=0).order_by("name")


def claimants_with_fact_checks() -> QuerySet[Claimant]:
    return Claimant.objects.filter(claims__fact_check__current_version__isnull=False).distinct().order_by("name")


def languages_with_fact_checks() -> list[str]:
    return sorted(set(public_fact_checks().values_list("claim__language", flat=True).order_by()))


def track_record(claimant: Claimant) -> list[tuple[Rating, int]]:
    """How often each rating was given to the claimant's standing verdicts (retracted ones do not count)."""
    counts = dict(
        public_fact_checks()
        .filter(claim__claimant=claimant, retracted_at=None)
        .order_by()
        .values_list("current_version__rating")
        .annotate(n=Count("id"))
    )
    ratings = Rating.objects.filter(Q(scale__is_default=True) | Q(pk__in=counts)).select_related("scale")
    ratings = ratings.order_by("-scale__is_default", "scale", "position")
    return [(rating, counts.get(rating.pk, 0)) for rating in ratings]


@dataclass(frozen=True)
class LogEntry:
    """One line of the public corrections log: a correction (a version after the first) or a retraction."""

    at: datetime
    fact_check: FactCheck
    version: FactCheckVersion | None = None

    @property
    def is_retraction(self) -> bool:
        return self.version is None


def corrections_log() -> QuerySet:
    """(kind, at, pk) rows of every correction and retraction, newest first; `log_entries` turns a page into entries."""
    corrections = (
        FactCheckVersion.objects.filter(number__gt=1, fact_check__current_version__isnull=False)
        .order_by()
        .annotate(kind=Value("correction"), at=F("created_at"))
        .values("pk", "kind", "at")
    )
    retractions = (
        FactCheck.objects.filter(retracted_at__isnull=False)
        .order_by()
        .annotate(kind=Value("retraction"), at=F("retracted_at"))
        .values("pk", "kind", "at")
    )
    return corrections.union(retractions, all=True).order_by("-at", "-pk")


def log_entries(rows: list[dict]) -> list[LogEntry]:
    version_ids = [r["pk"] for r in rows if r["kind"] == "correction"]
    retraction_ids = [r["pk"] for r in rows if r["kind"] == "retraction"]
    previous_rating = FactCheckVersion.objects.filter(
        fact_check=OuterRef("fact_check"), number=OuterRef("number") - 1
    ).values("rating_label")[:1]
    versions = (
        {
            v.pk: v
            for v in FactCheckVersion.objects.filter(pk__in=version_ids)
            .select_related("fact_check__claim")
            .annotate(previous_rating=Subquery(previous_rating))
        }
        if version_ids
        else {}
    )
    retracted = (
        {fc.pk: fc for fc in FactCheck.objects.filter(pk__in=retraction_ids).select_related("claim")}
        if retraction_ids
        else {}
    )
    return [
        LogEntry(at=r["at"], fact_check=versions[r["pk"]].fact_check, version=versions[r["pk"]])
        if r["kind"] == "correction"
        else LogEntry(at=r["at"], fact_check=retracted[r["pk"]])
        for r in rows
    ]


def verdict_of(claim) -> FactCheck | None:
    """The fact-check a claim shows: its own, or, for a claim marked a duplicate, its canonical claim's (published
    now or later; retracted ones too, as their tombstone). None while there is none."""
    return verdicts_of([claim]).get(claim.pk)


def verdicts_of(claims) -> dict[int, FactCheck]:
    """`verdict_of` for many claims in one query: claim id → the fact-check it shows (claims without one left out)."""
    followed = {claim.pk: claim.duplicate_of_id or claim.pk for claim in claims}
    if not followed:
        return {}
    found = {fc.claim_id: fc for fc in public_fact_checks().filter(claim_id__in=set(followed.values()))}
    return {claim_id: found[target] for claim_id, target in followed.items() if target in found}
