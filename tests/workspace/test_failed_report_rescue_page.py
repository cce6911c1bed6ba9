"""A report whose page could not be read says so on its page, gives the reason, and offers the rescue there: a form
that sends the page's text (or HTML) with the report's address, which fills the report with its sentences."""

import pytest
from django.urls import reverse

from claims.ingest import services as ingest
from claims.ingest.models import ReportSentence
from claims.models import Report

ADDRESS = "https://news.example.com/2026/12/talks-ar"
REASON = "The server answered 503 Service Unavailable."
ARABIC_TEXT = (
    "محادثات في جنيف\n\n"
    "قال المسؤولون إن المحادثات استمرت أكثر من خمس ساعات مساء الثلاثاء. "
    "وسيلتقي الوفدان مجددا الشهر المقبل، بحسب متحدث."
)


@pytest.fixture
def failed(journalist):
    report = ingest.submit_report(user=journalist, url=ADDRESS)
    return ingest.fail_fetching(report_id=report.pk, reason=REASON)


def page_of(report) -> str:
    return reverse("workspace:report", kwargs={"report_id": report.pk})


def give_text_url(report) -> str:
    return reverse("workspace:give-report-text", kwargs={"report_id": report.pk})


def test_a_failed_report_page_says_it_could_not_be_read_and_offers_the_paste_form(client, journalist, failed):
    client.force_login(journalist)

    html = client.get(page_of(failed)).content.decode()

    assert '<h1 dir="auto">A report that could not be read</h1>' in html
    assert "being fetched" not in html
    assert REASON in html
    assert f'action="{give_text_url(failed)}"' in html
    assert f'type="hidden" name="url" value="{ADDRESS}"' in html
    assert 'name="body"' in html and 'name="html"' in html
    assert reverse("workspace:fetch-again", kwargs={"report_id": failed.pk}) in html


def test_another_journalist_is_offered_the_paste_form_but_not_fetch_again(client, other_journalist, failed):
    client.force_login(other_journalist)

    html = client.get(page_of(failed)).content.decode()

    assert f'action="{give_text_url(failed)}"' in html
    assert reverse("workspace:fetch-again", kwargs={"report_id": failed.pk}) not in html


def test_a_fetching_report_is_headed_as_fetching(client, journalist):
    report = ingest.submit_report(user=journalist, url=ADDRESS)
    client.force_login(journalist)

    html = client.get(page_of(report)).content.decode()

    assert '<h1 dir="auto">A report being fetched</h1>' in html
    assert 'action="' + give_text_url(report) + '"' not in html


def test_pasting_the_text_on_the_page_makes_the_report_ready_with_sentences(client, other_journalist, failed):
    client.force_login(other_journalist)

    answer = client.post(
        give_text_url(failed),
        {"url": "https://elsewhere.example.org/", "body": ARABIC_TEXT, "language": "ar"},
        follow=True,
    )

    assert answer.redirect_chain == [(page_of(failed), 302)]
    messages = [str(m) for m in answer.context["messages"]]
    assert messages == [
        "The desk had this address without its text: what you gave is now its report. Make claims from it."
    ]
    failed.refresh_from_db()
    assert (failed.status, failed.failure, failed.language, failed.url) == ("ready", "", "ar", ADDRESS)
    assert "استمرت أكثر من خمس ساعات" in failed.body
    assert ReportSentence.objects.filter(report=failed).exists()
    assert Report.objects.count() == 1


def test_a_paste_form_sent_empty_comes_back_with_the_reason_and_the_report_stays_failed(client, journalist, failed):
    client.force_login(journalist)

    answer = client.post(give_text_url(failed), {"headline": "محادثات في جنيف", "body": "", "html": ""})

    html = answer.content.decode()
    assert answer.status_code == 400
    assert "Paste the report&#x27;s text, or the HTML of its page." in html
    assert "محادثات في جنيف" in html  # the typed headline is kept
    failed.refresh_from_db()
    assert (failed.status, failed.body) == ("failed", "")
