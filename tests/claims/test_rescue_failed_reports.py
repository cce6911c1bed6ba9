"""A report whose page could not be read is rescued by whoever brings its text: submitting the same address with the
page's HTML or its pasted text fills that report, whoever in the newsroom does it, and a fetch still running then
leaves the text alone."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

import claims.tasks  # registers the ingestion tasks that run after a report's commit)
from claims.ingest import services as ingest
from claims.ingest.models import ClaimAppearance, ReportEvent, ReportSentence
from claims.models import Report
from claims.tasks import fetch_report
from core.fetching import FetchedPage
from tests.claims.conftest import CHECKED

ADDRESS = "https://news.example.com/2026/12/talks"
TEXT = (
    "Talks in Geneva\n\n"
    "Officials said the talks lasted more than five hours on Tuesday evening. "
    "The delegations will meet again next month, a spokesman said."
)
HTML = (
    '<html lang="en"><head><title>Talks in Geneva</title></head><body><article><h1>Talks in Geneva</h1>'
    "<p>Officials said the talks lasted more than five hours on Tuesday evening.</p>"
    "<p>The delegations will meet again next month, a spokesman said after the meeting.</p>"
    "</article></body></html>"
)
FETCHED = (
    b'<html lang="en"><head><title>Fetched</title></head><body><article><h1>Fetched</h1>'
    b"<p>The fetched page says something else entirely about the weather in the mountains this week.</p>"
    b"</article></body></html>"
)


@pytest.fixture
def failed(journalist):
    report = ingest.submit_report(user=journalist, url=ADDRESS)
    return ingest.fail_fetching(report_id=report.pk, reason="The server answered 503 Service Unavailable.")


def _submit(api, user, **fields):
    return api(user).post("/api/v1/reports/", {"url": ADDRESS, **fields}, format="json")


@pytest.mark.parametrize(
    "given",
    [{"body": TEXT, "language": "en"}, {"html": HTML}],
    ids=["pasted text", "page html"],
)
def test_it_fills_a_failed_report_with_the_text_given_with_its_address(
    api, journalist, failed, given, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = _submit(api, journalist, **given)

    assert answer.status_code == 200, answer.content
    report = answer.json()
    assert (report["id"], report["status"], report["failure"]) == (failed.pk, "ready", "")
    assert "talks lasted more than five hours" in report["body"]
    assert report["headline"] == "Talks in Geneva"
    assert Report.objects.count() == 1
    assert ReportSentence.objects.filter(report=failed).exists()
    assert api(journalist).get(f"/api/v1/reports/{failed.pk}/candidates/").status_code == 200
    event = ReportEvent.objects.filter(report=failed).last()
    assert (event.from_status, event.to_status) == ("failed", "ready")
    assert "jane" in event.note


def test_another_journalist_of_the_newsroom_may_give_the_text(api, failed, other_journalist):
    answer = _submit(api, other_journalist, body=TEXT, language="en", headline="Geneva talks")

    assert (answer.status_code, answer.json()["id"], answer.json()["status"]) == (200, failed.pk, "ready")
    assert answer.json()["headline"] == "Geneva talks"
    assert Report.objects.get(pk=failed.pk).submitted_by.username == "jane"  # it stays the first submitter's


def test_the_filled_report_tracks_repetitions_of_our_verdicts(
    api, journalist, failed, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(api, journalist, html=HTML)

    appearance = ClaimAppearance.objects.get(report=failed)
    assert appearance.claim == published
    assert CHECKED.lower() in appearance.quote.lower()


def test_a_report_that_has_its_text_stays_as_it_is(api, journalist, other_journalist):
    first = _submit(api, journalist, body=TEXT, language="en")

    again = _submit(api, other_journalist, html=HTML.replace("five hours", "nine hours"))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["body"] == first.json()["body"]
    assert ReportEvent.objects.filter(report_id=first.json()["id"]).count() == 1


def test_html_without_readable_text_is_refused_and_the_report_stays_failed(api, journalist, failed):
    answer = _submit(api, journalist, html="<html lang=en><body><nav>Home</nav></body></html>")

    assert answer.status_code == 400
    assert "No article text" in answer.json()["html"][0]
    failed.refresh_from_db()
    assert (failed.status, failed.body) == ("failed", "")


def test_a_fetch_that_ends_after_the_text_was_given_leaves_it_alone(api, journalist, monkeypatch):
    report = ingest.submit_report(user=journalist, url=ADDRESS)  # fetching; its task has not run yet
    filled = _submit(api, journalist, body=TEXT, language="en")
    assert (filled.status_code, filled.json()["status"]) == (200, "ready")

    # The task that was queued runs late (a slow worker, or the sweep sending it again): the page it reads changes
    # nothing, and a failure it meets changes nothing either.
    monkeypatch.setattr(claims.tasks, "_fetch", lambda url: FetchedPage(url=url, body=FETCHED, charset="utf-8"))
    assert fetch_report(report.pk) is None
    assert ingest.store_fetched_page(report_id=report.pk, page=FetchedPage(ADDRESS, FETCHED, "utf-8")) is None
    assert ingest.fail_fetching(report_id=report.pk, reason="Timed out.") is None

    report.refresh_from_db()
    assert (report.status, report.failure) == ("ready", "")
    assert "talks lasted more than five hours" in report.body


def test_the_workspace_form_fills_a_failed_report(client, journalist, failed):
    client.force_login(journalist)

    answer = client.post(reverse("workspace:submit-report"), {"url": ADDRESS, "html": HTML}, follow=True)

    report_page = reverse("workspace:report", kwargs={"report_id": failed.pk})
    assert answer.redirect_chain == [(report_page, 302)]
    messages = [str(m) for m in answer.context["messages"]]
    assert messages == [
        "The desk had this address without its text: what you gave is now its report. Make claims from it."
    ]
    assert "talks lasted more than five hours" in answer.content.decode()
    failed.refresh_from_db()
    assert failed.status == "ready"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_fetch_and_a_pasted_text_at_once_leave_one_text_and_one_ready_event(journalist, other_journalist):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    report = ingest.submit_report(user=journalist, url=ADDRESS)
    barrier, errors = threading.Barrier(2), []

    def run(work):
        barrier.wait()
        try:
            work()
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    page = FetchedPage(url=ADDRESS, body=FETCHED, charset="utf-8")
    threads = [
        threading.Thread(target=run, args=(lambda: ingest.store_fetched_page(report_id=report.pk, page=page),)),
        threading.Thread(
            target=run,
            args=(lambda: ingest.submit_report(user=other_journalist, url=ADDRESS, body=TEXT, language="en"),),
        ),
    ]
    [t.start() for t in threads]
    [t.join() for t in threads]

    assert errors == []
    report.refresh_from_db()
    assert report.status == "ready"
    assert report.body == TEXT or "weather in the mountains" in report.body
    assert ReportEvent.objects.filter(report=report, to_status="ready").count() == 1
    sentences = ReportSentence.objects.filter(report=report)
    assert all(report.body[s.start : s.end] == s.text for s in sentences)
