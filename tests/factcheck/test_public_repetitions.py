"""What the public sees of a checked claim's repetitions, from a report submitted to the public output: a report with
no web address (pasted by the newsroom) stays on the desk, and one report is one repetition however often it is
recorded."""

import re

import pytest

from claims.ingest.models import ClaimAppearance
from claims.ingest.tracking import track_report
from claims.models import Report
from tests.factcheck.page_parsing import the_json_ld

CHECKED = "The talks lasted more than five hours"
REPEATED = "Once more, the talks lasted more than five hours"  # close enough to the verdict to be a repetition
HEADING = re.compile(r"This claim has been repeated (\d+) times? since we checked it")


@pytest.fixture
def checked(make_claim, publish):
    return publish(make_claim(CHECKED))


def public_answers(client, api, fact_check) -> tuple[str, dict, dict]:
    """The verdict's page, its ClaimReview and the public API's answer for it."""
    html = client.get(fact_check.get_absolute_url()).content.decode()
    answer = api().get(f"/api/v1/fact-checks/{fact_check.slug}/")
    assert answer.status_code == 200
    return html, the_json_ld(html), answer.json()


def repetitions_section(html: str) -> str:
    found = re.search(r'<section class="repetitions".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_a_report_pasted_without_an_address_is_recorded_for_the_desk_only(
    client, api, journalist, editor, checked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the tracking task runs after the report is saved
        answer = api(journalist).post(
            "/api/v1/reports/",
            {
                "headline": "INTERNAL-DRAFT-MEMO do not publish",
                "outlet": "INTERNAL-OUTLET",
                "language": "en",
                "body": f"The minister spoke again on Friday. {REPEATED}, she told reporters.",
            },
            format="json",
        )
    assert answer.status_code == 201
    assert ClaimAppearance.objects.filter(claim=checked.claim, report_id=answer.json()["id"]).exists()

    html, claim_review, api_answer = public_answers(client, api, checked)
    listed = api().get("/api/v1/fact-checks/").content.decode()

    assert not HEADING.search(html) and "INTERNAL" not in html
    assert [work.get("url") for work in claim_review["itemReviewed"]["appearance"]] == [checked.claim.report.url]
    assert "INTERNAL" not in str(api_answer) and "INTERNAL" not in listed

    client.force_login(editor)
    desk = client.get("/admin/claims/claimappearance/").content.decode()
    assert "INTERNAL-DRAFT-MEMO" in desk and "not public" in desk
    private = client.get("/admin/claims/claimappearance/?public=no").content.decode()
    assert "INTERNAL-DRAFT-MEMO" in private
    assert "INTERNAL-DRAFT-MEMO" not in client.get("/admin/claims/claimappearance/?public=yes").content.decode()


def test_a_report_recorded_by_tracking_and_cited_by_a_claim_is_one_repetition(client, api, journalist, checked):
    url = "https://third.example.org/bridge"
    body = f"The minister spoke again on Friday. {REPEATED}, she told reporters. Markets were calm."
    third = Report.objects.get(
        pk=api(journalist)
        .post("/api/v1/reports/", {"url": url, "headline": "Bridge talks", "language": "en", "html": f"<p>{body}</p>"})
        .json()["id"]
    )
    assert third.status == Report.Status.READY and third.url == url
    assert track_report(report_id=third.pk) == 1

    quote = "the talks lasted more than five hours"  # inside the sentence tracking recorded, at another offset
    answer = api(journalist).post(
        "/api/v1/claims/",
        {"text": CHECKED, "report": third.pk, "quote": quote, "claimant": "Senator Ana Ruiz", "language": "en"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()

    html, claim_review, api_answer = public_answers(client, api, checked)

    section = repetitions_section(html)
    assert HEADING.search(section).group(1) == "1"
    assert section.count(url) == 1 and "Senator Ana Ruiz" in section
    urls = [work.get("url") for work in claim_review["itemReviewed"]["appearance"]]
    assert urls == [checked.claim.report.url, url]
    assert api_answer["claim_review"] == claim_review
    # The desk keeps one row for the place, now naming the claimant the journalist gave.
    row = ClaimAppearance.objects.get(report=third)
    assert row.claimant.name == "Senator Ana Ruiz"


def test_the_json_feed_carries_the_claim_review_the_page_embeds_repetitions_included(client, api, journalist, checked):
    url = "https://third.example.org/summit"
    body = f"The minister spoke again on Friday. {REPEATED}, she told reporters."
    third = api(journalist).post(
        "/api/v1/reports/", {"url": url, "headline": "Summit", "language": "en", "html": f"<p>{body}</p>"}
    )
    assert track_report(report_id=third.json()["id"]) == 1

    _html, claim_review, _ = public_answers(client, api, checked)
    (item,) = client.get("/feeds/claimreview.json").json()["items"]

    assert item == claim_review
    assert url in [work.get("url") for work in item["itemReviewed"]["appearance"]]
