"""Every list endpoint reads a page of 50 with as many SQL queries as a page of 1: no query per row.

Each list gets rows that exercise all its relations (claimants, topics, history with actors, corrections…), and the
client signs in with a token as a consumer does, so per-request work (token, roles) is counted too.
"""

from collections.abc import Callable
from itertools import count

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services as claim_services
from claims.models import Claim, Claimant, Topic
from core.roles import Role
from factcheck.models import ExternalFactCheck, RatingScale, WebhookDelivery, WebhookEndpoint
from factcheck.record import services as publishing
from reviews.services import assignments as desk_services
from reviews.services import verdicts
from reviews.services.members import add_member
from tests.api.conftest import SOURCES, in_review

serial = count()


class Grow:
    """Adds n rows of one kind through the real services, each with its own related rows."""

    def __init__(self, journalist, reviewer, other_reviewer, editor, other_editor, report) -> None:
        self.journalist, self.editor, self.other_editor, self.report = journalist, editor, other_editor, report
        self.reviewers = [reviewer, other_reviewer]
        self.history_claim = None
        self.endpoint = None

    def claim(self, i: int):
        topic = Topic.objects.get_or_create(slug=f"topic-{i}", defaults={"name": f"Topic {i}"})[0]
        return claim_services.submit_claim(
            user=self.journalist,
            text=f"Claim number {i} about trade",
            report=self.report.pk,
            language="en",
            claimant=f"Claimant {i}",
            topics=[topic.slug],
            claim_date=None,
        )

    def reports(self, n: int) -> None:
        for _ in range(n):
            claim_services.submit_report(
                user=self.journalist, headline=f"Report {next(serial)}", language="en", body="Text."
            )

    def claims(self, n: int) -> None:
        for _ in range(n):
            claim = self.claim(next(serial))
            claim_services.triage_claim(claim_id=claim.pk, editor=self.editor, decision="accept")

    def assignments(self, n: int) -> None:
        for _ in range(n):
            i = next(serial)
            in_review(self.claim(i), self.reviewers[i % 2], self.editor)

    def my_assignments(self, n: int) -> None:
        for _ in range(n):
            in_review(self.claim(next(serial)), self.reviewers[0], self.editor)

    def fact_checks(self, n: int) -> None:
        for _ in range(n):
            i = next(serial)
            claim, reviewer = self.claim(i), self.reviewers[i % 2]
            in_review(claim, reviewer, self.editor)
            verdicts.save_review(
                claim_id=claim.pk,
                reviewer=reviewer,
                rating="false",
                summary="Trade fell.",
                explanation="Statistics.",
                sources=SOURCES,
            )
            verdicts.submit_review(claim_id=claim.pk, reviewer=reviewer)
            verdicts.approve_claim(claim_id=claim.pk, editor=self.editor)
            publishing.correct(
                claim_id=claim.pk, editor=self.other_editor, note="Typo fixed.", summary="Trade fell by 3%."
            )

    def reviewer_profiles(self, n: int) -> None:
        for _ in range(n):
            i = next(serial)
            add_member(username=f"reviewer{i}", role=Role.REVIEWER, languages=["en"], topics=[f"topic-{i}"])

    def topics(self, n: int) -> None:
        for _ in range(n):
            i = next(serial)
            Topic.objects.create(slug=f"t-{i}", name=f"T {i}")

    def claimants(self, n: int) -> None:
        """Each named on a claim of the journalist who lists them: a claimant is seen with a claim that names it."""
        for _ in range(n):
            claimant = Claimant.objects.create(name=f"Person {next(serial)}")
            Claim.objects.create(text="Trade fell", language="en", submitted_by=self.journalist, claimant=claimant)

    def rating_scales(self, n: int) -> None:
        for _ in range(n):
            i = next(serial)
            scale = RatingScale.objects.create(slug=f"scale-{i}", name=f"Scale {i}", best=2, worst=1)
            scale.ratings.create(slug="yes", label="Yes", value=2)
            scale.ratings.create(slug="no", label="No", value=1, position=1)

    def webhooks(self, n: int) -> None:
        for _ in range(n):
            WebhookEndpoint.objects.create(
                url=f"https://hooks.example.org/{next(serial)}",
                secret="s" * 20,
                events=["factcheck.published"],
                created_by=self.editor,
            )

    def deliveries(self, n: int) -> None:
        if self.endpoint is None:
            self.endpoint = WebhookEndpoint.objects.create(
                url="https://hooks.example.org/",
                secret="s" * 20,
                events=["factcheck.published"],
                created_by=self.editor,
            )
        for _ in range(n):
            WebhookDelivery.objects.create(endpoint=self.endpoint, event="factcheck.published", payload={"n": 1})

    def external_fact_checks(self, n: int) -> None:
        for _ in range(n):
            i = next(serial)
            ExternalFactCheck.objects.create(
                url=f"https://other.example.org/{i}", claim_reviewed=f"Claim {i}", publisher_name="Other Desk", raw={}
            )

    def history(self, n: int) -> None:
        """More status changes of one claim (each reassignment adds two), by different actors."""
        if self.history_claim is None:
            self.history_claim = self.claim(next(serial))
            claim_services.triage_claim(claim_id=self.history_claim.pk, editor=self.editor, decision="accept")
            n -= 1
        for i in range(n):
            editor = (self.editor, self.other_editor)[i % 2]
            current = self.history_claim.assignments.filter(state="offered").first()
            target = self.reviewers[1] if current and current.reviewer == self.reviewers[0] else self.reviewers[0]
            desk_services.assign_by_hand(claim_id=self.history_claim.pk, editor=editor, reviewer_id=target.pk)


# name: (path, who asks, which rows grow, how to count the rows of the answer)
LISTS: dict[str, tuple[str, str, str, Callable[[object], int]]] = {
    "reports": ("/api/v1/reports/", "editor", "reports", lambda b: len(b["results"])),
    "claims": ("/api/v1/claims/", "editor", "claims", lambda b: len(b["results"])),
    "claims of a journalist": ("/api/v1/claims/", "journalist", "claims", lambda b: len(b["results"])),
    "assignments": ("/api/v1/assignments/", "editor", "assignments", lambda b: len(b["results"])),
    "assignments, mine": (
        "/api/v1/assignments/?mine=true&page_size=100",
        "reviewer",
        "my_assignments",
        lambda b: len(b["results"]),
    ),
    "reviewers": ("/api/v1/reviewers/", "editor", "reviewer_profiles", lambda b: len(b["results"])),
    "topics": ("/api/v1/topics/", "journalist", "topics", lambda b: len(b["results"])),
    "claimants": ("/api/v1/claimants/", "journalist", "claimants", lambda b: len(b["results"])),
    "fact-checks": ("/api/v1/fact-checks/", "anonymous", "fact_checks", lambda b: len(b["results"])),
    "fact-check search": (
        "/api/v1/fact-checks/?query=trade&pageSize=100",
        "anonymous",
        "fact_checks",
        lambda b: len(b["claims"]),
    ),
    "rating scales": ("/api/v1/ratings/", "anonymous", "rating_scales", lambda b: len(b["results"])),
    "claim history": ("/api/v1/claims/{history_claim}/history/", "editor", "history", len),
    "webhooks": ("/api/v1/webhooks/", "editor", "webhooks", lambda b: len(b["results"])),
    "webhook deliveries": (
        "/api/v1/webhooks/{endpoint}/deliveries/",
        "editor",
        "deliveries",
        lambda b: len(b["results"]),
    ),
    "external fact-checks": (
        "/api/v1/external-fact-checks/",
        "journalist",
        "external_fact_checks",
        lambda b: len(b["results"]),
    ),
}


@pytest.fixture
def grow(journalist, reviewer, other_reviewer, editor, other_editor, report) -> Grow:
    return Grow(journalist, reviewer, other_reviewer, editor, other_editor, report)


def queries_for(client, path: str) -> tuple[int, object]:
    # The public fact-check list is cached under the stamp a committed publication replaces; a test's transaction
    # never commits, so every read here starts cold and counts the queries of building the page.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": 100} if "?" not in path else None)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.mark.parametrize("name", LISTS)
def test_it_reads_a_page_of_50_with_as_many_queries_as_a_page_of_1(request, token_client, grow, name):
    path, role, kind, rows = LISTS[name]
    client = token_client(None if role == "anonymous" else request.getfixturevalue(role))
    add = getattr(grow, kind)
    add(1)
    path = path.format(
        history_claim=grow.history_claim.pk if grow.history_claim else 0,
        endpoint=grow.endpoint.pk if grow.endpoint else 0,
    )
    baseline = rows(queries_for(client, path)[1])  # rows that exist anyway (the default rating scale)
    queries_for(client, path)  # warm caches that are filled once per process, not per request

    one, body = queries_for(client, path)
    add(49)
    fifty, bigger = queries_for(client, path)

    assert rows(bigger) >= rows(body) + 49 >= baseline + 49
    assert fifty == one, f"{name}: {one} queries for 1 row, {fifty} for 50"
