"""Shared fixtures: named actors for each role and helpers to drive a claim through the desk."""

import pytest
from rest_framework.test import APIClient

from claims import services as claim_services
from core.roles import Role
from reviews.services import assignments as desk_services
from reviews.services import verdicts
from reviews.services.members import add_member

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages and rate-limit counters live in the cache, which outlives each test's database rollback."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_real_dns(monkeypatch):
    """Tests never ask a real resolver: only loopback names resolve; a test that stands in for the internet
    replaces netguard.lookup itself (its monkeypatch wins over this one)."""
    from core import netguard

    real_lookup = netguard.lookup

    def loopback_only(host: str, port: int):
        if host.strip("[]") in {"localhost", "127.0.0.1", "::1"} or host.startswith("127."):
            return real_lookup(host, port)
        raise netguard.Unresolvable(f"The host {host!r} does not resolve (tests reach no real DNS).")

    monkeypatch.setattr(netguard, "lookup", loopback_only)


@pytest.fixture(autouse=True)
def _fresh_matching_index():
    """Each process keeps the matcher's index in memory; a test's rolled-back rows must not linger in it."""
    from claims import matching

    matching.reset()
    yield
    matching.reset()


@pytest.fixture
def journalist(db):
    return add_member(username="jane", role=Role.JOURNALIST, password=PASSWORD, email="jane@example.org")


@pytest.fixture
def other_journalist(db):
    return add_member(username="jim", role=Role.JOURNALIST, password=PASSWORD)


@pytest.fixture
def reviewer(db):
    return add_member(username="rita", role=Role.REVIEWER, password=PASSWORD, languages=["en", "de"], capacity=3)


@pytest.fixture
def other_reviewer(db):
    return add_member(username="rolf", role=Role.REVIEWER, password=PASSWORD, languages=["en"], capacity=3)


@pytest.fixture
def editor(db):
    return add_member(username="eddie", role=Role.EDITOR, password=PASSWORD)


@pytest.fixture
def other_editor(db):
    return add_member(username="erin", role=Role.EDITOR, password=PASSWORD)


@pytest.fixture
def api():
    """Returns a function giving an API client authenticated as the given user (or anonymous for None)."""

    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def report(journalist):
    return claim_services.submit_report(
        user=journalist,
        headline="Ministers meet in Geneva",
        language="en",
        url="https://news.example.org/geneva-talks",
        outlet="Example News",
        body="The talks lasted more than five hours, the minister said. Trade rose by 12% last year.",
    )


@pytest.fixture
def pasted_report(journalist):
    """A report pasted without a URL: it stays its submitter's (an article submitted by URL is the newsroom's)."""
    return claim_services.submit_report(
        user=journalist,
        headline="Ministers meet in Geneva",
        language="en",
        outlet="Example News",
        body="The talks lasted more than five hours, the minister said. Trade rose by 12% last year.",
    )


@pytest.fixture
def make_claim(journalist, report):
    def make(text="The talks lasted more than five hours", user=None, **kwargs):
        kwargs.setdefault("language", "en")
        kwargs.setdefault("claimant", "Minister Jane Roe")
        kwargs.setdefault("quote", "The talks lasted more than five hours")
        report_id = report.pk if report else None
        return claim_services.submit_claim(user=user or journalist, text=text, report=report_id, **kwargs)

    return make


@pytest.fixture
def desk(editor, reviewer, django_capture_on_commit_callbacks):
    """Steps that move a claim along the flow through the real services, for tests that start mid-way.

    Work enqueued on commit (routing) runs as it would after a real commit.
    """

    class Desk:
        def queue(self, claim):
            with django_capture_on_commit_callbacks(execute=True):
                return claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")

        def assigned(self, claim):
            self.queue(claim)
            return claim.assignments.get(state="offered")

        def in_review(self, claim):
            assignment = self.assigned(claim)
            return desk_services.accept_assignment(assignment_id=assignment.pk, reviewer=assignment.reviewer)

        def reviewed(self, claim, rating="false"):
            assignment = self.in_review(claim)
            verdicts.save_review(
                claim_id=claim.pk,
                reviewer=assignment.reviewer,
                rating=rating,
                summary="It was four hours.",
                explanation="The official schedule shows the talks ran from 10:00 to 14:00.",
                sources=[verdicts.SourceInput(url="https://gov.example.org/schedule", title="Official schedule")],
            )
            return assignment

        def awaiting_approval(self, claim):
            assignment = self.reviewed(claim)
            verdicts.submit_review(claim_id=claim.pk, reviewer=assignment.reviewer)
            return assignment

        def published(self, claim):
            self.awaiting_approval(claim)
            return verdicts.approve_claim(claim_id=claim.pk, editor=editor)

    return Desk()


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium for the browser tests of one module (tests.browser)."""
    from tests.browser import Chromium

    browser = Chromium()
    yield browser
    browser.close()


def pytest_collection_modifyitems(items) -> None:
    """Tests that drive Chromium are marked `browser`, so `make test` can run them beside the rest."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
