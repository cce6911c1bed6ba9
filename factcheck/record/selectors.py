"""Reads of the published record, shaped for pages and the public API."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Value

from claims.ingest.models import ClaimAppearance
from claims.ingest.selectors import public_appearance_rows, public_appearances
from claims.models import Claimant, Topic
from core.errors import InvalidInput
from core.statements import Statement, hand_prefetched
from factcheck.record.claimreview import build_claim_review, with_repetitions
from factcheck.record.lexemes import text_matches
from factcheck.record.models import (
    FactCheck,
    FactCheckVersion,
    Rating,
)


def public_fact_checks() -> QuerySet[FactCheck]:
    """Published fact-checks with what their pages link to. What a verdict shows of its rating, claimant and report
    is read from the version's copies (record/snapshot.py): the live rows give only slugs for links and filters."""
    # Only the joins every reader of it uses: planning each join costs more than running the whole query.
    return (
        FactCheck.objects.select_related("claim__claimant", "current_version__rating")
        .defer("search_document")
        .exclude(current_version=None)
    )


def answered_fact_checks() -> QuerySet[FactCheck]:
    """Published fact-checks with what the API answers of them: also the claim's repetitions and, of the earlier
    versions, only the corrections' notes."""
    corrections = FactCheckVersion.objects.filter(number__gt=1).only("fact_check_id", "number", "note", "created_at")
    return public_fact_checks().prefetch_related(Prefetch("versions", queryset=corrections), APPEARANCES_PREFETCH)


def claim_review_for(fact_check: FactCheck, *, with_repeats: bool = False) -> dict:
    """The version's frozen ClaimReview; `with_repeats` adds the claim's later repetitions (`repetitions`) to
    itemReviewed.appearance, as the page and the API show them."""
    version = fact_check.current_version
    version.fact_check = fact_check  # share the already loaded claim
    review = build_claim_review(version, site_url=settings.SITE_URL, publisher_name=settings.FACTCHECK_PUBLISHER_NAME)
    return with_repetitions(review, repetitions(fact_check).shown) if with_repeats else review


REPETITIONS_SHOWN = 20
# For lists: each fact-check's repetitions in one query per page (`repetitions` reads this prefetch when present).
# Only rows public output may show are read (`repetitions` applies the same rule to whatever it is given). A
# report's body (the whole article) is left behind: the pages and ClaimReview show its address, headline, outlet and
# date, and an article may run to tens of kilobytes per repetition.
APPEARANCES_PREFETCH = Prefetch(
    "claim__appearances",
    queryset=public_appearance_rows()
    .select_related("report", "claimant")
    .defer("report__body")
    .order_by("-appeared_on", "-id"),
)


@dataclass(frozen=True)
class Repetitions:
    """The newest public reports that repeated a claim after its verdict, and how many there are in all."""

    shown: list[ClaimAppearance]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


NO_REPETITIONS = Repetitions(shown=[], total=0)


def repetitions(fact_check: FactCheck) -> Repetitions:
    """What a verdict's page, its ClaimReview and the API show of the claim's repetitions: one per report with a
    public web address (claims.ingest.selectors.public_appearances); none for a retracted verdict (its tombstone
    stands alone) or where the newsroom turned them off (settings.FACTCHECK_SHOW_REPETITIONS).
    """
    if fact_check.retracted_at is not None or not settings.FACTCHECK_SHOW_REPETITIONS:
        return NO_REPETITIONS
    # Loaded with APPEARANCES_PREFETCH, or by the page's statement (fact_check_page).
    found = public_appearances(fact_check.claim.appearances.all())
    return Repetitions(shown=found[:REPETITIONS_SHOWN], total=len(found))


def default_ratings() -> QuerySet[Rating]:
    return Rating.objects.filter(scale__is_default=True).select_related("scale")


def badge_colours() -> list[str]:
    """Every colour a rating badge may show: the ratings' own, and those frozen in published versions."""
    live = set(Rating.objects.values_list("colour", flat=True))
    return sorted(live | set(_distinct_values(FactCheckVersion.objects.all(), "rating_colour")))


def _distinct_values(rows: QuerySet, field: str) -> list:
    """The distinct values of an indexed column, one index probe each: a handful of colours among a million
    versions costs a handful of lookups, not a scan of every version (a loose index scan)."""
    found: list = []
    while True:
        after = rows.filter(**{f"{field}__gt": found[-1]}) if found else rows
        following = after.aggregate(value=Min(field))["value"]
        if following is None:
            return found
        found.append(following)


def rating_on_default_scale(slug: str) -> Rating:
    rating = default_ratings().filter(slug=slug).first()
    if rating is None:
        raise InvalidInput({"rating": [f"'{slug}' is not a rating on the scale."]})
    return rating


# Reads of the public site's pages. Each returns everything its page shows in a fixed number of queries.

# Compiled once (core/statements.py): compiling its seven joins took four times as long as running it, and
# prefetching the claim's topics and repetitions compiled two queries more.
FACT_CHECK_PAGE = Statement(
    lambda slug: (
        public_fact_checks()
        .select_related("current_version__created_by", "current_version__reviewed_by")  # the page credits them
        .filter(slug=slug)
        .order_by()[:1]
    )
)
CLAIM_TOPICS = Statement(lambda claim_id: Topic.objects.filter(claims=claim_id))
CLAIM_APPEARANCES = Statement(lambda claim_id: APPEARANCES_PREFETCH.queryset.filter(claim=claim_id))


def fact_check_page(slug: str) -> FactCheck | None:
    """A fact-check with its claim's topics and repetitions, and the people its current version credits; its
    versions come from `fact_check_versions`."""
    fact_check = next(iter(FACT_CHECK_PAGE.instances(slug)), None)
    if fact_check is not None:
        claim = fact_check.claim
        hand_prefetched(claim, "topics", CLAIM_TOPICS.instances(claim.pk))
        hand_prefetched(claim, "appearances", CLAIM_APPEARANCES.instances(claim.pk))
    return fact_check


def fact_check_versions(fact_check: FactCheck) -> list[FactCheckVersion]:
    """A fact-check's versions in order, for its corrections log and its old versions' pages.

    One never corrected has a single version, its current one, read with it: most pages need no query for them.
    """
    if fact_check.current_version.number == 1:
        return [fact_check.current_version]
    versions = FactCheckVersion.objects.select_related("rating", "created_by", "reviewed_by")
    return list(versions.filter(fact_check=fact_check).order_by("number"))


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
    claimant_name: str = "",
) -> QuerySet[FactCheck]:
    """Every word of `text` must appear in the claim, its claimant or the summary (not a retracted verdict's, which
    is withdrawn); the other filters narrow.

    `claimant` is a claimant's slug; `claimant_name` is what a reader typed: a slug, or part of a name in any script.
    """
    qs = text_matches(fact_checks_listed(), text)
    if claimant_name:
        # Claimants are few next to fact-checks: find them first, then their fact-checks by key.
        named = Claimant.objects.filter(Q(slug=claimant_name) | Q(name__icontains=claimant_name)).values("pk")
        qs = qs.filter(claim__claimant__in=named)
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
    # Inner joins from the published fact-checks: the planner starts from them, not from every claim's topics.
    published = Topic.objects.filter(claims__fact_check__current_version__isnull=False)
    return published.annotate(fact_check_count=Count("claims__fact_check")).order_by("name")


def claimants_with_fact_checks() -> QuerySet[Claimant]:
    return Claimant.objects.filter(claims__fact_check__current_version__isnull=False).distinct().order_by("name")


def languages_with_fact_checks() -> list[str]:
    published = FactCheck.objects.exclude(current_version=None).order_by()
    return sorted(published.values_list("claim__language", flat=True).distinct())


FREQUENT_CLAIMANTS = 50


@dataclass(frozen=True)
class FilterChoices:
    """What the public list's filter form offers, all counted from published fact-checks (retracted ones too, as the
    list shows their tombstones). Plain values, so the site can cache them."""

    ratings: list[tuple[str, str]]  # (slug, label) on the default scale
    topics: list[tuple[str, str, int]]  # (slug, name, fact-checks)
    languages: list[str]  # language codes
    claimants: list[str]  # the names with the most fact-checks, for suggestions
    # How many the list holds. A default, so a value cached before this field existed reads as "not counted".
    published: int = 0


def public_filter_choices(*, frequent_claimants: int = FREQUENT_CLAIMANTS) -> FilterChoices:
    """Five queries whatever the number of fact-checks."""
    frequent = (
        Claimant.objects.filter(claims__fact_check__current_version__isnull=False)
        .annotate(fact_check_count=Count("claims__fact_check"))
        .order_by("-fact_check_count", "name")
        .values_list("name", flat=True)[:frequent_claimants]
    )
    return FilterChoices(
        ratings=list(default_ratings().values_list("slug", "label")),
        topics=[(t.slug, t.name, t.fact_check_count) for t in topics_with_fact_checks()],
        languages=languages_with_fact_checks(),
        claimants=sorted(frequent),
        published=public_fact_checks().count(),
    )


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
    # A version after the first is a correction of a published fact-check: no join is needed to know it is public,
    # and without one each half reads its own index newest first and the page takes the newest of both.
    corrections = (
        FactCheckVersion.objects.filter(number__gt=1)
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
