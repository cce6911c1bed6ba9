"""Reads for the editors' dashboard (the admin's index page).

Every read here is one query (or two: rows and their total), so the page costs the same number of queries whether
the desk holds ten claims or a hundred thousand.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from claims.models import ClaimAppearance, ClaimEvent, ClaimStatus
from core.roles import is_editor
from reviews import charts, selectors
from reviews.models import ACTIVE_STATES, Assignment, ReviewerProfile, SweepFailure

THROUGHPUT_DAYS = 30
REPEATED_DAYS = 30
ROWS_SHOWN = 10


@dataclass(frozen=True)
class DayCount:
    day: date
    published: int
    queued: int


@dataclass(frozen=True)
class Throughput:
    days: list[DayCount]
    median_seconds: float | None

    @property
    def published(self) -> int:
        return sum(d.published for d in self.days)

    @property
    def queued(self) -> int:
        return sum(d.queued for d in self.days)


@dataclass(frozen=True)
class ReviewerLoad:
    user_id: int
    reviewer: str
    load: int
    capacity: int
    available: bool

    @property
    def over_capacity(self) -> bool:
        return self.load > self.capacity


@dataclass(frozen=True)
class Dashboard:
    status_counts: dict[str, int]
    overdue: list[Assignment]
    overdue_total: int
    stuck: list[SweepFailure]
    stuck_total: int
    loads: list[ReviewerLoad]
    throughput: Throughput
    repeated: int  # repetitions of our verdicts in reports of the last REPEATED_DAYS days
    repeated_since: date


def _window_start(now: datetime, days: int) -> tuple[date, datetime]:
    first_day = timezone.localdate(now) - timedelta(days=days - 1)
    return first_day, timezone.make_aware(datetime.combine(first_day, datetime.min.time()))


def daily_counts(now: datetime, days: int = THROUGHPUT_DAYS) -> list[DayCount]:
    """Claims that entered the queue and claims published on each of the last `days` days (today included)."""
    first_day, since = _window_start(now, days)
    rows = (
        ClaimEvent.objects.filter(
            kind=ClaimEvent.Kind.TRANSITION,
            to_status__in=[ClaimStatus.PUBLISHED, ClaimStatus.QUEUED],
            at__gte=since,
        )
        .annotate(day=TruncDate("at"))
        .values_list("day", "to_status")
        .annotate(claims=Count("claim", distinct=True))
        .order_by()
    )
    counts = {(day, status): claims for day, status, claims in rows}
    return [
        DayCount(
            day=day,
            published=counts.get((day, ClaimStatus.PUBLISHED), 0),
            queued=counts.get((day, ClaimStatus.QUEUED), 0),
        )
        for day in (first_day + timedelta(days=n) for n in range(days))
    ]


def median_queued_to_published(now: datetime, days: int = THROUGHPUT_DAYS) -> float | None:
    """The desk stats' median (90 days in the API) over the window the chart shows."""
    _, since = _window_start(now, days)
    return selectors.median_queued_to_published(now, since=since)


def overdue_assignments(now: datetime, limit: int = ROWS_SHOWN) -> tuple[list[Assignment], int]:
    """The most overdue active assignments (longest overdue first) and how many there are in all."""
    overdue = Assignment.objects.overdue_at(now)
    rows = list(overdue.select_related("reviewer", "claim").order_by("due_at", "id")[:limit])
    return rows, overdue.count()


def stuck_rows(limit: int = ROWS_SHOWN) -> tuple[list[SweepFailure], int]:
    rows = list(SweepFailure.objects.select_related("claim").order_by("failed_at", "id")[:limit])
    return rows, SweepFailure.objects.count()


def reviewer_loads(today: date) -> list[ReviewerLoad]:
    profiles = (
        ReviewerProfile.objects.filter(user__is_active=True)
        .select_related("user")
        .annotate(load=Count("user__assignments", filter=Q(user__assignments__state__in=ACTIVE_STATES)))
        .order_by("user__username")
    )
    return [
        ReviewerLoad(
            user_id=p.user_id,
            reviewer=p.user.get_username(),
            load=p.load,
            capacity=p.capacity,
            available=p.is_available(today),
        )
        for p in profiles
    ]


def repetitions_since(first_day: date) -> int:
    """How many times reports from that day on repeated a claim we had published a verdict on."""
    return ClaimAppearance.objects.filter(appeared_on__gte=first_day).count()


def dashboard(now: datetime) -> Dashboard:
    overdue, overdue_total = overdue_assignments(now)
    stuck, stuck_total = stuck_rows()
    repeated_since, _ = _window_start(now, REPEATED_DAYS)
    return Dashboard(
        status_counts=selectors.status_counts(),
        overdue=overdue,
        overdue_total=overdue_total,
        stuck=stuck,
        stuck_total=stuck_total,
        loads=reviewer_loads(timezone.localdate(now)),
        throughput=Throughput(days=daily_counts(now), median_seconds=median_queued_to_published(now)),
        repeated=repetitions_since(repeated_since),
        repeated_since=repeated_since,
    )


def duration_text(seconds: float | None) -> str:
    """A span in the largest two units an editor reads at a glance: "2 d 4 h", "3 h 20 min", "45 min"."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def may_see_dashboard(user) -> bool:
    return user.is_active and (user.is_superuser or is_editor(user))


def page_context(now: datetime) -> dict:
    """What the dashboard template shows: the figures, the chart drawn from them, a bar per reviewer."""
    figures = dashboard(now)
    throughput = figures.throughput
    median = duration_text(throughput.median_seconds)
    description = (
        f"Over the last {len(throughput.days)} days {throughput.published} claims were published and "
        f"{throughput.queued} entered the queue; median time from queue to publication: {median}."
    )
    points = [charts.Point(label=f"{d.day.day} {d.day:%b}", bar=d.published, line=d.queued) for d in throughput.days]
    return {
        "figures": figures,
        "statuses": [
            (status, status.replace("_", " ").capitalize(), count) for status, count in figures.status_counts.items()
        ],
        "median": median,
        "chart": charts.bar_and_line_chart(
            points,
            chart_id="desk-throughput",
            title="Claims published (bars) and queued (line) per day",
            description=description,
            bar_name="published",
            line_name="queued",
        ),
        "chart_description": description,
        "repeated_days": REPEATED_DAYS,
        "loads": [
            (row, charts.load_bar(row.load, row.capacity, label=f"{row.load} of {row.capacity}"))
            for row in figures.loads
        ],
    }
