"""The public pages in a real browser: Debian's headless Chromium driven by Playwright, against a live server."""

import json

from factcheck.record import services as publishing
from tests.browser import ARTIFACTS, in_a_live_database, needs_chromium

pytestmark = [needs_chromium, in_a_live_database]


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
