"""The desk's "Repeated claims" list (reports that repeated a claim after we published its verdict), its figure on the
dashboard, and the report's page with its reading status and its sentences ranked by check-worthiness."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claimant, ClaimAppearance, MatchDocument, Report, ReportSentence

REPEATED = "/admin/claims/claimappearance/"
REPORTS = "/admin/claims/report/"


@pytest.fixture
def checked(desk, make_claim):
    """A claim with a published verdict."""
    claim = make_claim()
    desk.published(claim)
    return claim


@pytest.fixture
def repeat(checked, journalist):
    """`repeat(n, days_ago=0)` records n repetitions of the checked claim, each in a report of its own."""
    made = 0

    def add(n: int, *, days_ago: int = 0, claimant: Claimant | None = None) -> list[ClaimAppearance]:
        nonlocal made
        reports = Report.objects.bulk_create(
            Report(
                url=f"https://daily.example.com/story-{made + i}",
                headline=f"Talks dragged on, says minister ({made + i})",
                outlet="The Daily Example",
                language="en",
                body="The talks lasted more than five hours, the minister said again.",
                submitted_by=journalist,
            )
            for i in range(n)
        )
        rows = ClaimAppearance.objects.bulk_create(
            ClaimAppearance(
                claim=checked,
                report=report,
                start=0,
                end=38,
                quote="Talks ran over five hours, the minister said again",
                claimant=claimant,
                appeared_on=timezone.localdate() - timedelta(days=days_ago),
                score=0.91,
            )
            for report in reports
        )
        made += n
        return rows

    return add


def rows_of(page: str) -> list[str]:
    return [row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if "field-claim_cell" in row]


def test_it_lists_each_repetition_with_its_claim_verdict_quote_and_report(as_editor, checked, repeat):
    minister = Claimant.objects.get(name="Minister Jane Roe")
    repeat(1, days_ago=3)
    repeat(1, claimant=minister)

    page = as_editor.get(REPEATED).content.decode()

    assert "<h1>Repeated claims</h1>" in page
    first, second = rows_of(page)[:2]
    assert "(1)" in first and "(0)" in second  # the one found last comes first
    assert f'href="/admin/claims/claim/{checked.pk}/change/"' in first
    assert f'href="{checked.fact_check.get_absolute_url()}">public verdict</a>' in first
    assert '<q class="desk-quote" dir="auto"><span class="desk-truncate" title="Talks ran over five hours, the' in first
    assert '<a href="https://daily.example.com/story-1" rel="noopener noreferrer"' in first
    assert "The Daily Example" in first
    assert "Minister Jane Roe" in first and "—" in second
    assert "0.91" in first


def test_it_finds_repetitions_by_claim_text_or_headline_and_by_date(as_editor, repeat):
    repeat(2, days_ago=40)
    repeat(1)

    by_headline = as_editor.get(REPEATED, {"q": "says minister (2)"}).context["cl"].result_list
    by_claim = as_editor.get(REPEATED, {"q": "more than five hours"}).context["cl"].result_list
    recent = as_editor.get(REPEATED, {"appeared_on__gte": (timezone.localdate() - timedelta(days=7)).isoformat()})

    assert [a.report.headline for a in by_headline] == ["Talks dragged on, says minister (2)"]
    assert len(by_claim) == 3
    assert [a.report.headline for a in recent.context["cl"].result_list] == ["Talks dragged on, says minister (2)"]


def test_the_list_costs_the_same_queries_with_1_and_100_rows(as_editor, repeat):
    repeat(1)
    as_editor.get(REPEATED)  # sessions, content types and permissions cached as on any later visit
    with CaptureQueriesContext(connection) as one:
        as_editor.get(REPEATED)

    repeat(99)
    with CaptureQueriesContext(connection) as hundred:
        response = as_editor.get(REPEATED)

    assert len(response.context["cl"].result_list) == 100
    assert len(hundred) == len(one), "\n".join(q["sql"] for q in hundred.captured_queries)


def test_repetitions_are_read_only_on_the_desk(as_editor, repeat):
    (appearance,) = repeat(1)

    listing = as_editor.get(REPEATED).content.decode()
    page = as_editor.get(f"{REPEATED}{appearance.pk}/change/")

    assert f"{REPEATED}add/" not in listing and 'name="action"' not in listing
    assert as_editor.get(f"{REPEATED}add/").status_code == 403
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert as_editor.post(f"{REPEATED}{appearance.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ClaimAppearance.objects.filter(pk=appearance.pk).exists()


def test_only_the_desk_sees_the_list(client, journalist, repeat):
    repeat(1)
    client.force_login(journalist)

    assert client.get(REPEATED).status_code == 302  # to the sign-in page: the admin is the editors' desk


def test_the_dashboard_counts_the_last_30_days_and_links_to_them(as_editor, repeat):
    repeat(2)
    repeat(1, days_ago=29)
    repeat(3, days_ago=31)

    page = as_editor.get("/admin/").content.decode()

    link = re.search(r'<a class="desk-count" href="(/admin/claims/claimappearance/[^"]+)">(.*?)</a>', page, re.S)
    assert link, "the dashboard does not link to the repeated claims"
    assert re.search(r'desk-count-figure">3<', link.group(2))
    assert "in reports of the last 30 days" in link.group(2)
    assert len(as_editor.get(link.group(1).replace("&amp;", "&")).context["cl"].result_list) == 3


def test_the_desk_files_the_list_with_the_claims(as_editor):
    page = as_editor.get("/admin/section/claims/").content.decode()

    assert f'<a href="{REPEATED}">Repeated claims</a>' in page


def test_the_report_page_shows_how_reading_went_and_its_sentences_best_first(as_editor, journalist):
    report = Report.objects.create(
        url="https://news.example.org/unreadable",
        headline="Budget day",
        language="en",
        body="Taxes fall. Growth was 3% last year. It rained.",
        status=Report.Status.FAILED,
        failure="The site answered 503 three times.",
        submitted_by=journalist,
        published_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    earlier = MatchDocument.objects.create(kind="fact_check", ref_id=7, language="en", text="Growth hit 3% in 2025")
    ReportSentence.objects.bulk_create(
        ReportSentence(report=report, position=i, start=start, end=end, text=text, score=score)
        for i, (start, end, text, score) in enumerate(
            [(0, 11, "Taxes fall.", 0.42), (12, 36, "Growth was 3% last year.", 0.93), (37, 46, "It rained.", 0.05)]
        )
    )
    ReportSentence.objects.filter(report=report, position=1).update(match=earlier, match_score=0.876)

    listing = as_editor.get(REPORTS).content.decode()
    page = as_editor.get(f"{REPORTS}{report.pk}/change/").content.decode()

    assert '<span class="desk-badge desk-fetch-failed">Failed</span>' in listing
    assert "The site answered 503 three times." in page
    assert "Sentences, most check-worthy first" in page
    sentences = page[page.index("Sentences, most check-worthy first") :]
    positions = [sentences.index(text) for text in ("Growth was 3% last year.", "Taxes fall.", "It rained.")]
    assert positions == sorted(positions)
    assert re.search(r"0\.93</td><td[^>]*>Growth was 3% last year\.</td><td>.*Growth hit 3% in 2025.*0\.88", sentences)


def test_a_report_admin_edit_still_refreshes_and_warns(as_editor, checked):
    report = checked.report
    data = {
        "url": report.url,
        "headline": "Ministers met in Geneva",
        "author": "",
        "outlet": report.outlet,
        "language": "en",
        "body": report.body,
    }

    answer = as_editor.post(f"{REPORTS}{report.pk}/change/", data, follow=True)

    assert Report.objects.get(pk=report.pk).headline == "Ministers met in Geneva"
    assert "1 published verdict still shows the old headline" in answer.content.decode()
