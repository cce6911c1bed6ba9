"""The public pages in a real browser: Debian's headless Chromium driven by Playwright, against a live server."""

import json
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from factcheck.record import services as publishing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

needs_chromium = pytest.mark.skipif(
    not shutil.which(CHROMIUM), reason=f"{CHROMIUM} is missing: apt-get install chromium (or run make test as root)"
)
# Data migrations create the groups and the rating scale: keep them across the live server's flushes.
in_a_live_database = pytest.mark.django_db(transaction=True, serialized_rollback=True)
pytestmark = [needs_chromium, in_a_live_database]


class Chromium:
    """Headless Chromium on a thread of its own, for the tests of one module.

    Playwright's sync API runs an event loop in the thread that drives it, and Django then hands that thread other
    database connections (as it would to async code) than the test's own. Driving the browser from a separate
    thread keeps the test's thread, its database and the live server as Django expects them.
    """

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._thread.submit(self._launch).result()

    def _launch(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def run(self, script: Callable, **context_options):
        """Run `script(page)` in a new browser context and return its result; its assertions count as the test's.

        `page.problems` collects console errors (CSP violations among them), uncaught errors and dialogs.
        """

        def in_browser():
            context = self._browser.new_context(**context_options)
            try:
                page = context.new_page()
                page.problems = []
                page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
                page.on("pageerror", lambda error: page.problems.append(f"error: {error}"))
                page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
                return script(page)
            finally:
                context.close()

        return self._thread.submit(in_browser).result()

    def close(self) -> None:
        def stop():
            self._browser.close()
            self._playwright.stop()

        self._thread.submit(stop).result()
        self._thread.shutdown()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    browser = Chromium()
    yield browser
    browser.close()


def json_ld_in(page) -> list[dict]:
    """The JSON-LD objects of the rendered DOM."""
    scripts = page.locator('script[type="application/ld+json"]')
    return [json.loads(scripts.nth(i).text_content()) for i in range(scripts.count())]


def test_it_shows_the_list_and_a_verdict_in_chromium(chromium, live_server, make_claim, publish):
    publish(make_claim("Trade rose by 12% last year"), rating="mostly-true")
    fact_check = publish(make_claim("The talks lasted more than five hours"), rating="false")
    detail_url = live_server.url + fact_check.get_absolute_url()

    def read_list_then_verdict(page):
        assert page.goto(live_server.url + "/fact-checks/").status == 200
        assert page.locator("h1").text_content() == "Fact-checks"
        assert page.locator("article.item h2").all_text_contents() == [
            "The talks lasted more than five hours",
            "Trade rose by 12% last year",
        ]
        page.get_by_role("link", name="The talks lasted more than five hours").click()
        page.wait_for_url(detail_url)
        assert page.locator("h1").text_content() == "The talks lasted more than five hours"
        assert page.locator(".verdict .rating").text_content() == "False"
        assert page.locator("ol.sources li").count() == 1
        claimant = page.get_by_role("link", name="Minister Jane Roe")
        assert claimant.get_attribute("href") == "/claimants/minister-jane-roe/"
        # The stylesheet came through under the CSP (no inline styles are allowed): the rating badge is styled.
        assert page.locator(".verdict .rating").evaluate("el => getComputedStyle(el).fontWeight") == "600"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "detail.png", full_page=True)
        return json_ld_in(page), page.problems

    (review,), problems = chromium.run(read_list_then_verdict)

    assert review["@type"] == "ClaimReview"
    assert review["url"].endswith(fact_check.get_absolute_url())
    assert review["claimReviewed"] == "The talks lasted more than five hours"
    assert review["reviewRating"]["alternateName"] == "False"
    assert problems == []
    assert (ARTIFACTS / "detail.png").stat().st_size > 10_000


def test_it_shows_a_corrected_verdict_and_keeps_the_old_version(
    chromium, live_server, make_claim, publish, other_editor
):
    fact_check = publish(make_claim(), rating="false")
    publishing.correct(
        claim_id=fact_check.claim_id,
        editor=other_editor,
        rating="mostly-false",
        note="We misread the schedule: the talks ran for four and a half hours.",
    )
    detail_url = live_server.url + fact_check.get_absolute_url()

    def read_current_then_old_version(page):
        page.goto(detail_url)
        assert page.locator(".verdict .rating").text_content() == "Mostly false"
        assert "We misread the schedule" in page.locator("ol.corrections").text_content()
        assert "version 2" in page.locator(".history .meta").first.text_content()
        (review,) = json_ld_in(page)
        assert review["reviewRating"]["alternateName"] == "Mostly false"

        page.get_by_role("link", name="Version 1").click()
        page.wait_for_url(f"{detail_url}v1/")
        assert "You are reading an old version." in page.locator(".version-notice").text_content()
        assert page.locator(".verdict .rating").text_content() == "False"
        assert json_ld_in(page) == []

        page.get_by_role("link", name="Read the current version").click()
        page.wait_for_url(detail_url)
        assert page.locator(".verdict .rating").text_content() == "Mostly false"
        return page.problems

    assert chromium.run(read_current_then_old_version) == []


def test_it_shows_a_tombstone_for_a_retracted_verdict(chromium, live_server, make_claim, publish, editor):
    fact_check = publish(make_claim())
    detail_url = live_server.url + fact_check.get_absolute_url()
    assert chromium.run(lambda page: (page.goto(detail_url), len(json_ld_in(page)))[1]) == 1
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="The schedule we relied on was forged.")

    def read_tombstone(page):
        assert page.goto(detail_url).status == 200
        assert page.locator(".tombstone h2").text_content() == "This fact-check was retracted"
        assert "The schedule we relied on was forged." in page.locator(".tombstone").text_content()
        assert page.locator("h1").text_content() == "The talks lasted more than five hours"
        assert page.locator(".verdict").count() == 0
        assert json_ld_in(page) == []
        return page.problems

    assert chromium.run(read_tombstone) == []


def test_it_filters_the_list_on_a_phone_without_javascript(chromium, live_server, make_claim, publish):
    publish(make_claim("Trade rose by 12% last year"), rating="mostly-true")
    publish(make_claim("The talks lasted more than five hours"), rating="false")

    def search_on_a_phone(page):
        page.goto(live_server.url + "/fact-checks/")
        page.get_by_role("searchbox", name="Search").fill("talks")
        page.get_by_label("Rating").select_option("false")
        page.get_by_role("button", name="Show fact-checks").click()
        page.wait_for_url("**/fact-checks/?q=talks&rating=false**")
        return page.locator("article.item h2").all_text_contents()

    found = chromium.run(
        search_on_a_phone,
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )

    assert found == ["The talks lasted more than five hours"]


def test_it_fits_a_phone_screen_and_prints_without_navigation(chromium, live_server, make_claim, publish):
    fact_check = publish(make_claim("A claim with a very long unbroken word " + "x" * 120))

    def on_a_phone_then_on_paper(page):
        page.goto(live_server.url + fact_check.get_absolute_url())
        width = page.evaluate("document.documentElement.scrollWidth")
        on_screen = page.locator("header.site nav").is_visible()
        page.emulate_media(media="print")
        return width, on_screen, page.locator("header.site nav").is_visible(), page.locator(".verdict").is_visible()

    width, nav_on_screen, nav_on_paper, verdict_on_paper = chromium.run(
        on_a_phone_then_on_paper, viewport={"width": 360, "height": 740}, is_mobile=True
    )

    assert width <= 360
    assert nav_on_screen and not nav_on_paper
    assert verdict_on_paper
