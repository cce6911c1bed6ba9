"""Report ingestion in a real browser: a journalist pastes a report, reads its sentences shaded and ranked by
check-worthiness, turns two into claims in one click each, and is warned that one was fact-checked already; then a
report given by its address is fetched from a local server while its page refreshes itself."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import claims.tasks  # noqa: F401  (registers the ingestion tasks that run after a report's commit)
from claims.models import Claim, Report
from core.names import Task
from reviews.workspace import journalist_reports
from tests.browser import ARTIFACTS, axe_violations, in_a_live_database, needs_chromium, sign_in_to_workspace
from tests.conftest import PASSWORD

pytestmark = [needs_chromium, in_a_live_database]

WIDE = {"viewport": {"width": 1280, "height": 900}}
NARROW = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CHECKED = "Unemployment fell to 4.2% in 2025, the lowest level in twenty years"
BODY = (
    "The minister opened the budget debate on Tuesday.\n"
    f"{CHECKED}, she said.\n"
    "Public debt will rise by 80 billion euros over the next three years, the finance ministry estimates.\n"
    "The opposition walked out of the chamber.\n"
    "Many people watched the debate."
)
NEW = "Public debt will rise by 80 billion euros over the next three years, the finance ministry estimates."
REPORT_PAGE = re.compile(r".*/workspace/reports/\d+/$")
CLAIM_PAGE = re.compile(r".*/workspace/claims/\d+/$")


def sign_in(page, base_url: str) -> None:
    sign_in_to_workspace(page, base_url, "jane", PASSWORD, lands_on="**/workspace/my-claims/")


def make_claim_from(page, sentence: str) -> None:
    """Press "Make a claim" on the ranked sentence that reads `sentence`."""
    candidate = page.locator("ol.candidates > li").filter(has_text=sentence)
    candidate.get_by_role("button", name=re.compile("^Make a claim")).click()
    page.wait_for_url(CLAIM_PAGE)


@pytest.fixture
def published_verdict(make_claim, desk):
    """A verdict on the unemployment claim, published through the desk's own services, so the matcher has it."""
    claim = make_claim(CHECKED, quote="")
    return desk.published(claim)


def test_a_journalist_turns_ranked_sentences_into_claims_and_is_warned_of_a_verdict(
    chromium, live_server, journalist, published_verdict
):
    def work(page):
        audits = {}
        sign_in(page, live_server.url)
        page.get_by_role("link", name="Submit a report").first.click()
        audits["submit"] = axe_violations(page)
        page.get_by_label("Text of the report").fill(BODY)
        page.get_by_label("Headline").fill("Budget debate opens")
        page.get_by_label("Language of the report").select_option("en")
        page.get_by_role("button", name="Save the report").click()
        page.wait_for_url(REPORT_PAGE)
        audits["report"] = axe_violations(page)
        report_url = page.url
        shaded = page.locator(".report-text .sentence").evaluate_all(
            "spans => spans.map(s => [s.textContent, s.className, s.title])"
        )
        ranked = page.locator("ol.candidates .candidate-score .score").all_text_contents()
        flags = page.locator(".report-text .checked-flag").all_text_contents()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "ingest-report.png", full_page=True)

        make_claim_from(page, CHECKED)
        audits["claim with a verdict"] = axe_violations(page)
        warning = page.locator(".already-warning").inner_text()
        page.screenshot(path=ARTIFACTS / "ingest-claim-warning.png", full_page=True)

        page.goto(report_url)
        make_claim_from(page, NEW)
        second_warned = page.locator(".already-warning").count()
        page.goto(report_url)
        marks = page.locator(".report-text mark.quote").all_text_contents()
        claimed = page.locator("ol.candidates .claimed").count()
        page.get_by_role("link", name="My claims").click()
        audits["my claims"] = axe_violations(page)
        return audits, shaded, ranked, flags, warning, second_warned, marks, claimed, page.problems

    audits, shaded, ranked, flags, warning, second_warned, marks, claimed, problems = chromium.run(work, **WIDE)

    assert audits == {"submit": [], "report": [], "claim with a verdict": [], "my claims": []}
    assert [text for text, _, _ in shaded] == BODY.split("\n")
    assert all(re.fullmatch(r"sentence worth-[0-3]( is-checked)?", cls) for _, cls, _ in shaded)
    assert all(re.fullmatch(r"[A-Z][a-z -]+: \d{1,3}%", title) for _, _, title in shaded)
    scores = [int(score.rstrip("%")) for score in ranked]
    assert scores == sorted(scores, reverse=True) and len(scores) == 5
    assert flags == ["Already fact-checked: False"]
    assert "Already fact-checked" in warning and "False" in warning and CHECKED in warning
    assert second_warned == 0
    assert marks == [f"{CHECKED}, she said.", NEW]
    assert claimed == 2
    assert sorted(
        Claim.objects.filter(submitted_by=journalist, report__headline="Budget debate opens").values_list(
            "quote", flat=True
        )
    ) == sorted([f"{CHECKED}, she said.", NEW])
    assert problems == []


def test_the_report_page_reads_on_a_narrow_screen(chromium, live_server, journalist, published_verdict):
    def work(page):
        sign_in(page, live_server.url)
        page.goto(live_server.url + "/workspace/reports/new/")
        page.get_by_label("Text of the report").fill(BODY)
        page.get_by_label("Headline").fill("Budget debate opens")
        page.get_by_label("Language of the report").select_option("en")
        page.get_by_role("button", name="Save the report").click()
        page.wait_for_url(REPORT_PAGE)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.screenshot(path=ARTIFACTS / "ingest-report-narrow.png", full_page=True)
        return overflow, axe_violations(page), page.problems

    overflow, violations, problems = chromium.run(work, **NARROW)

    assert overflow <= 0  # nothing wider than the screen
    assert violations == []
    assert problems == []


class SlowPublisher:
    """A loopback HTTP server with one article, held back until the test lets it go (a slow site)."""

    PAGE = (
        b"<!doctype html><html lang='en'><head><title>Port traffic doubles</title></head><body><article>"
        b"<h1>Port traffic doubles</h1><p>Container traffic at the port doubled in 2025 to 9 million units, "
        b"the port authority said on Monday.</p><p>Dock workers welcomed the news.</p></article></body></html>"
    )

    def __init__(self) -> None:
        self.release = threading.Event()
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                publisher.release.wait(timeout=20)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(publisher.PAGE)))
                self.end_headers()
                self.wfile.write(publisher.PAGE)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/2026/port-traffic"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_publisher(settings, monkeypatch):
    # The fetcher refuses loopback addresses unless told otherwise; the fetch runs beside the request, as in production.
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    settings.EAGER_TASKS_IN_BACKGROUND = frozenset({Task.FETCH_REPORT})
    # Long enough for the audit to finish before the page reloads itself.
    monkeypatch.setattr(journalist_reports, "REFRESH_SECONDS", 6)
    publisher = SlowPublisher()
    yield publisher
    publisher.close()


def test_a_report_given_by_its_address_is_fetched_while_its_page_refreshes(
    chromium, live_server, journalist, slow_publisher
):
    def work(page):
        sign_in(page, live_server.url)
        page.goto(live_server.url + "/workspace/reports/new/")
        page.get_by_label("Address of the report").fill(slow_publisher.url)
        page.get_by_role("button", name="Save the report").click()
        page.wait_for_url(REPORT_PAGE)
        try:
            waiting = page.locator(".report-status").inner_text()
            violations = axe_violations(page)
            page.screenshot(path=ARTIFACTS / "ingest-fetching.png", full_page=True)
        finally:
            slow_publisher.release.set()
        # The page's own <meta http-equiv="refresh"> brings the text in, with no script of ours.
        page.locator(".report-text .sentence").first.wait_for(timeout=20_000)
        return waiting, violations, page.locator("h1").inner_text(), page.problems

    waiting, violations, headline, problems = chromium.run(work, **WIDE)

    assert "Fetching…" in waiting and "refreshes itself every 6 seconds" in waiting
    # axe flags any timed reload (WCAG 2.2.1) without seeing the "Stop refreshing" link that meets the criterion.
    assert [violation.split(":")[0] for violation in violations] == ["meta-refresh"]
    assert headline == "Port traffic doubles"
    report = Report.objects.get(url=slow_publisher.url)
    assert (report.status, report.language) == ("ready", "en")
    assert problems == []
