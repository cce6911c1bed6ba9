"""A report submitted by URL is fetched and read by a real worker on the broker, and the worker's matcher, a process
of its own, finds the verdict this process published a moment before and records the repetition."""

import time

import pytest
from django.utils import timezone

from claims import services as claim_services
from claims.ingest.models import ClaimAppearance, ReportEvent
from claims.models import Report
from reviews.models import Assignment
from reviews.services import assignments as desk_services
from reviews.services import verdicts
from tests.factcheck.local_http import LocalWeb
from tests.integration.conftest import CeleryProcess

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHECKED = "The bridge over the Alder river cost 40 million euros to build"


def article(sentence: str) -> str:
    published = timezone.now().isoformat()
    return f"""<!doctype html><html lang="en"><head><title>Council meets | Alder Post</title>
<meta property="og:site_name" content="Alder Post"><meta property="article:published_time" content="{published}">
</head><body><nav><a href="/">Home</a> <a href="/city">City</a></nav><article><h1>Council meets</h1>
<p>The city council met on Tuesday evening to discuss the budget for the coming year.</p>
<p>{sentence}, the mayor told the council once more. Several members asked for the invoices.</p>
<p>The next meeting is planned for the spring, when the auditors report.</p></article></body></html>"""


@pytest.fixture
def fetch_worker(real_broker, tmp_path):
    worker = CeleryProcess(
        tmp_path / "worker.log",
        "worker",
        "-c",
        "2",
        "-Q",
        "default,routing,notifications,webhooks",
        "--without-gossip",
        "--without-mingle",
        env={"DJANGO_SETTINGS_MODULE": "tests.integration.worker_fetch_settings"},
    ).start()
    worker.wait_for_log(" ready.", timeout_s=60)
    yield worker
    worker.stop()


def wait_for(condition, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def publish_through_the_worker(claim, editor) -> None:
    """Triage here, routing by the worker, then the reviewer's and the approving editor's steps here."""
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
    wait_for(lambda: Assignment.objects.filter(claim=claim, state="offered").exists())
    assignment = Assignment.objects.get(claim=claim, state="offered")
    desk_services.accept_assignment(assignment_id=assignment.pk, reviewer=assignment.reviewer)
    verdicts.save_review(
        claim_id=claim.pk,
        reviewer=assignment.reviewer,
        rating="false",
        summary="It cost 25 million.",
        explanation="The council's accounts show 25 million euros.",
        sources=[verdicts.SourceInput(url="https://city.example.org/accounts", title="Accounts")],
    )
    verdicts.submit_review(claim_id=claim.pk, reviewer=assignment.reviewer)
    verdicts.approve_claim(claim_id=claim.pk, editor=editor)


def test_a_worker_fetches_reads_and_tracks_a_report_submitted_by_url(
    fetch_worker, api, journalist, editor, reviewer, make_claim
):
    published = make_claim(CHECKED, quote="")
    publish_through_the_worker(published, editor)
    with LocalWeb() as web:
        url = web.serve("/city/council", article(CHECKED), content_type="text/html; charset=utf-8")

        answer = api(journalist).post("/api/v1/reports/", {"url": url}, format="json")
        assert answer.status_code == 201, answer.content
        report_id = answer.json()["id"]
        wait_for(lambda: Report.objects.get(pk=report_id).status != Report.Status.FETCHING)

    report = Report.objects.get(pk=report_id)
    assert report.status == Report.Status.READY, (report.failure, fetch_worker.log()[-2000:])
    assert (report.headline, report.outlet, report.language) == ("Council meets", "Alder Post", "en")
    assert "Home" not in report.body and CHECKED in report.body
    assert list(ReportEvent.objects.filter(report=report).values_list("to_status", flat=True)) == ["fetching", "ready"]
    wait_for(lambda: ClaimAppearance.objects.filter(report=report).exists())
    appearance = ClaimAppearance.objects.get(report=report)
    assert appearance.claim_id == published.pk
    assert report.body[appearance.start : appearance.end] == appearance.quote
