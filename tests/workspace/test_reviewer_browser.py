"""A reviewer's day in a real browser: sign in, accept an offer, read the claim, write and submit the review; then
fix and resubmit it after an editor returned it. Debian's headless Chromium against a live server."""

import re

from claims.models import ClaimStatus
from reviews.models import Review
from reviews.services import verdicts
from tests.browser import ARTIFACTS, axe_violations, in_a_live_database, needs_chromium, sign_in_to_workspace
from tests.conftest import PASSWORD

pytestmark = [needs_chromium, in_a_live_database]

CYRILLIC_SUMMARY = "Переговоры длились четыре часа."
CHINESE_TITLE = "官方日程表"
RETURN_NOTE = "Say which schedule you used in the summary."


def sign_in(page, live_server) -> None:
    sign_in_to_workspace(page, live_server.url, "rita", PASSWORD, lands_on=live_server.url + "/workspace/queue/")


def add_source(page, url: str, title: str, publisher: str = "") -> None:
    page.get_by_label("URL", exact=True).fill(url)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Publisher (optional)").fill(publisher)
    page.get_by_role("button", name="Add source").click()
    page.wait_for_selector(f"ol.editable-sources >> text={title}")


def source_titles(page) -> list[str]:
    return page.locator("ol.editable-sources .source-title a").all_text_contents()


def test_a_reviewer_accepts_writes_submits_and_resubmits_in_chromium(
    chromium, live_server, make_claim, desk, editor, reviewer
):
    claim = make_claim()
    desk.assigned(claim)
    audits: dict[str, list[str]] = {}

    def accept_and_review(page):
        sign_in(page, live_server)
        assert page.locator("h1").text_content() == "My queue"
        audits["queue"] = axe_violations(page)
        page.get_by_role("button", name=re.compile("^Accept")).click()
        page.wait_for_url(f"**/workspace/queue/claims/{claim.pk}/")
        assert page.locator("mark.quote").text_content() == "The talks lasted more than five hours"
        audits["claim"] = axe_violations(page)

        page.get_by_role("link", name="Write the review").click()
        page.wait_for_url(f"**/queue/claims/{claim.pk}/review/")
        page.get_by_label("False", exact=True).check()
        page.get_by_label("Summary", exact=True).fill(CYRILLIC_SUMMARY)
        page.get_by_label("Explanation", exact=True).fill(
            "The schedule shows **four hours**.\n\n<script>alert(1)</script>"
        )
        # review.js previews while typing; the Preview button does the same without JavaScript.
        page.wait_for_selector("#explanation-preview strong")
        page.get_by_role("button", name="Preview").click()
        assert page.locator("#explanation-preview strong").text_content() == "four hours"
        assert "<script>alert(1)</script>" in page.locator("#explanation-preview").text_content()

        add_source(page, "https://gov.example.org/schedule", CHINESE_TITLE, "Government Press Office")
        add_source(page, "https://news.example.org/pool", "Press pool notes")
        assert source_titles(page) == [CHINESE_TITLE, "Press pool notes"]
        page.get_by_role("button", name=f"Move down “{CHINESE_TITLE}”").click()
        page.wait_for_function("document.querySelector('ol.editable-sources a').textContent === 'Press pool notes'")
        assert source_titles(page) == ["Press pool notes", CHINESE_TITLE]
        assert page.get_by_label("Summary", exact=True).input_value() == CYRILLIC_SUMMARY
        audits["review form"] = axe_violations(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "review-form.png", full_page=True)

        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_url(f"**/workspace/queue/claims/{claim.pk}/")
        assert "submitted for approval" in page.locator(".messages").text_content()
        return page.problems

    assert chromium.run(accept_and_review) == []
    assert audits == {"queue": [], "claim": [], "review form": []}
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_APPROVAL

    verdicts.return_review(claim_id=claim.pk, editor=editor, note=RETURN_NOTE)

    def fix_and_resubmit(page):
        sign_in(page, live_server)
        page.get_by_role("link", name=re.compile("^Write the review")).click()
        assert RETURN_NOTE in page.locator(".returned").text_content()
        assert axe_violations(page) == []
        page.get_by_label("Summary", exact=True).fill(CYRILLIC_SUMMARY + " Source: the official schedule.")
        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_url(f"**/workspace/queue/claims/{claim.pk}/")
        assert page.locator(".returned").count() == 0
        return page.problems

    assert chromium.run(fix_and_resubmit) == []
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_APPROVAL
    review = Review.objects.get(claim=claim)
    assert review.summary.endswith("Source: the official schedule.")
    assert [s.title for s in review.sources.all()] == ["Press pool notes", CHINESE_TITLE]
    assert (ARTIFACTS / "review-form.png").stat().st_size > 10_000


def test_an_offer_accepted_again_from_a_second_tab_opens_the_claim_without_a_warning(
    chromium, live_server, make_claim, desk
):
    claim = make_claim()
    desk.assigned(claim)

    def accept_in_two_tabs(page):
        sign_in(page, live_server)
        second = page.context.new_page()
        second.goto(live_server.url + "/workspace/queue/")
        for tab in (page, second):  # the second tab still shows the offer it loaded before the first accepted it
            tab.get_by_role("button", name=re.compile("^Accept")).click()
            tab.wait_for_url(f"**/workspace/queue/claims/{claim.pk}/")
        notices = second.locator(".messages .message")
        assert "You have already accepted this claim." in notices.all_text_contents()[-1]
        assert second.locator(".message.warning, .message.error").count() == 0
        return page.problems

    assert chromium.run(accept_in_two_tabs) == []
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
