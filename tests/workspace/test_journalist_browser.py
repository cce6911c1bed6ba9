"""The journalist's workspace in a real browser: Debian's headless Chromium driven by Playwright, against a live
server; once with the quote picker's script, once without JavaScript."""

import re

from claims import services
from claims.models import Claim, Report
from tests.browser import ARTIFACTS, axe_violations, in_a_live_database, needs_chromium, sign_in_to_workspace
from tests.conftest import PASSWORD

pytestmark = [needs_chromium, in_a_live_database]

BODY = (
    "Ministers met in Geneva on Friday.\n"
    "The talks lasted more than five hours, the minister said.\n"
    "Trade rose by 12% last year, according to the ministry."
)
PICKED = "The talks lasted more than five hours"
A_REPORTS_PAGE = re.compile(r".*/workspace/reports/\d+/$")  # not the form at /workspace/reports/new/
TYPED = "Trade rose by 12% last year"


def sign_in(page, base_url: str) -> None:
    sign_in_to_workspace(page, base_url, "jane", PASSWORD, lands_on="**/workspace/my-claims/")


def select_in_report_text(page, words: str) -> None:
    """Select `words` in the shown report text, as a mouse drag over them would."""
    page.evaluate(
        """(words) => {
            const box = document.querySelector("[data-quote-source]");
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode()) && !node.data.includes(words)) {}
            const start = node.data.indexOf(words);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + words.length);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
        }""",
        words,
    )


def select_occurrence_in_report_text(page, words: str, occurrence: int) -> None:
    """Select the `occurrence`-th (from 0) place `words` stand at in the shown report text."""
    page.evaluate(
        """([words, occurrence]) => {
            const box = document.querySelector("[data-quote-source]");
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            let node, seen = -1;
            while ((node = walker.nextNode())) {
                let at = node.data.indexOf(words);
                while (at >= 0 && ++seen < occurrence) at = node.data.indexOf(words, at + 1);
                if (at >= 0 && seen === occurrence) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    window.getSelection().removeAllRanges();
                    window.getSelection().addRange(range);
                    return;
                }
            }
            throw new Error("not found");
        }""",
        [words, occurrence],
    )


def fill_claim(page, text: str, claimant: str, kind: str) -> None:
    page.get_by_label("Claim to check").fill(text)
    page.get_by_label("Who made the claim (optional)").fill(claimant)
    page.get_by_label(kind).check()
    page.get_by_role("button", name="Submit the claim").click()
    page.wait_for_url("**#claims")


def test_a_journalist_submits_a_report_and_two_claims_in_chromium(chromium, live_server, journalist):
    def work(page):
        audits = {}
        page.goto(live_server.url + "/workspace/sign-in/")
        audits["sign-in"] = axe_violations(page)
        sign_in(page, live_server.url)

        page.get_by_role("link", name="Submit a report").first.click()
        page.wait_for_url("**/workspace/reports/new/")
        audits["submit form"] = axe_violations(page)
        page.get_by_label("Headline").fill("Ministers meet in Geneva")
        page.get_by_label("Outlet (optional)").fill("Example News")
        page.get_by_label("Published on (optional)").fill("2026-03-14")
        page.get_by_label("Text of the report").fill(BODY)
        page.get_by_role("button", name="Save the report").click()
        page.wait_for_url(A_REPORTS_PAGE)
        audits["report page"] = axe_violations(page)

        select_in_report_text(page, PICKED)
        page.get_by_role("button", name="Use selected text as the quote").click()
        picked = page.get_by_label("Quote from the report").input_value()
        fill_claim(page, "The Geneva talks lasted over five hours", "Minister Jane Roe", "A person")

        page.get_by_label("Quote from the report").fill(TYPED)
        fill_claim(page, "Trade grew by 12% in 2025", "Министерство торговли", "An organisation")
        marks = page.locator(".report-text mark.quote").all_text_contents()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "journalist-report.png", full_page=True)

        page.get_by_role("link", name="My claims").click()
        page.wait_for_url("**/workspace/my-claims/")
        audits["my claims"] = axe_violations(page)
        rows = page.locator("table.claims tbody tr")
        listed = [
            (rows.nth(i).locator(".claim-text").text_content(), rows.nth(i).locator(".status").text_content())
            for i in range(rows.count())
        ]
        page.screenshot(path=ARTIFACTS / "journalist-claims.png", full_page=True)
        return audits, picked, marks, listed, page.problems

    audits, picked, marks, listed, problems = chromium.run(work)

    assert audits == {"sign-in": [], "submit form": [], "report page": [], "my claims": []}
    assert picked == PICKED
    assert marks == [PICKED, TYPED]
    assert listed == [
        ("Trade grew by 12% in 2025", "Submitted"),
        ("The Geneva talks lasted over five hours", "Submitted"),
    ]
    assert sorted(Claim.objects.values_list("status", flat=True)) == ["submitted", "submitted"]
    assert problems == []
    assert (ARTIFACTS / "journalist-claims.png").stat().st_size > 10_000


def test_a_journalist_adds_a_claim_without_javascript(chromium, live_server, journalist):
    report = services.submit_report(user=journalist, headline="Ministers meet in Geneva", language="en", body=BODY)

    def type_the_quote(page):
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/workspace/reports/{report.pk}/")
        picker_shown = page.get_by_role("button", name="Use selected text as the quote").is_visible()
        page.get_by_label("Quote from the report").fill(TYPED)
        fill_claim(page, "Trade grew by 12% in 2025", "Ministry of Trade", "An organisation")
        return picker_shown, page.locator(".report-text mark.quote").all_text_contents()

    picker_shown, marks = chromium.run(type_the_quote, java_script_enabled=False)

    assert not picker_shown
    assert marks == [TYPED]
    claim = Claim.objects.get()
    assert report.body[claim.quote_start : claim.quote_end] == TYPED
    assert claim.claimant.kind == "Organization"


def test_the_picker_quotes_the_occurrence_selected_not_the_first(chromium, live_server, journalist):
    # The flag is two code points and four UTF-16 units: offsets are counted as the server counts them.
    body = (
        "Ministers \U0001f1e8\U0001f1ed met in Geneva, and prices rose by 5%.\n"
        "The talks lasted more than five hours, the minister said.\n"
        "The opposition said prices rose by 5% after the talks."
    )
    report = services.submit_report(user=journalist, headline="Ministers meet in Geneva", language="en", body=body)
    second = body.index("prices rose by 5%", body.index("prices rose by 5%") + 1)

    def pick_the_second(page):
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/workspace/reports/{report.pk}/")
        select_occurrence_in_report_text(page, "prices rose by 5%", 1)
        page.get_by_role("button", name="Use selected text as the quote").click()
        hint = page.locator("input[name=quote_start]").input_value()
        fill_claim(page, "Prices rose by 5%", "The opposition", "An organisation")
        marks = page.locator(".report-text mark.quote").evaluate_all(
            "marks => marks.map(mark => mark.closest('.sentence').textContent)"
        )
        return hint, marks, page.problems

    hint, marks, problems = chromium.run(pick_the_second)

    assert hint == str(second)
    claim = Claim.objects.get()
    assert (claim.quote_start, claim.quote_end) == (second, second + len("prices rose by 5%"))
    assert marks == ["The opposition said prices rose by 5% after the talks."]
    assert problems == []


def test_a_double_click_on_save_sends_the_report_once(chromium, live_server, journalist):
    """A slow answer tempts a second click; the form goes to the server once, so no duplicate report is made."""

    def double_click_while_the_server_is_slow(page):
        sign_in(page, live_server.url)
        page.goto(live_server.url + "/workspace/reports/new/")
        page.get_by_label("Headline").fill("Ministers meet in Geneva")
        page.get_by_label("Text of the report").fill(BODY)
        held = []  # each POST waits here until both clicks are done, as on a slow connection
        page.route(
            "**/workspace/reports/new/",
            lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
        )
        # The second click comes 300 ms after the first, from the page's own script: Playwright would wait for the
        # first navigation to end before clicking again.
        page.evaluate(
            """() => {
                const save = document.querySelector("main form button.primary");
                save.click();
                setTimeout(() => save.click(), 300);
            }"""
        )
        page.wait_for_timeout(800)
        sent = len(held)
        for route in held:
            route.continue_()
        page.wait_for_url(A_REPORTS_PAGE)
        return sent, page.problems

    sent, problems = chromium.run(double_click_while_the_server_is_slow)

    assert sent == 1
    assert Report.objects.filter(headline="Ministers meet in Geneva").count() == 1
    assert problems == []
