"""The public site's trust signals in Chromium: coloured badges styled under the CSP, credits, and every page that
shows them clean for axe-core."""

from claims.models import Topic
from factcheck.record import services as publishing
from tests.browser import ARTIFACTS, axe_violations, in_a_live_database, needs_chromium

pytestmark = [needs_chromium, in_a_live_database]

DARK_RED, GREEN = "rgb(139, 26, 26)", "rgb(46, 107, 48)"


def test_its_badges_credits_and_pages_read_well_in_chromium(
    chromium, live_server, make_claim, publish, reviewer, other_editor
):
    reviewer.first_name, reviewer.last_name = "Рита", "Rossi"
    reviewer.save(update_fields=["first_name", "last_name"])
    Topic.objects.create(slug="diplomacy", name="Diplomacy")
    fact_check = publish(make_claim(topics=["diplomacy"]), rating="false")
    publish(make_claim("Trade rose by 12% last year", topics=["diplomacy"]), rating="mostly-true")
    publishing.correct(claim_id=fact_check.claim_id, editor=other_editor, note="Added the minutes.", summary="4h40.")
    base, detail = live_server.url, live_server.url + fact_check.get_absolute_url()

    def read(page):
        seen = {}
        page.goto(base + "/fact-checks/")
        badges = page.locator(".item .badge")
        seen["list"] = [badges.nth(i).evaluate("el => getComputedStyle(el).backgroundColor") for i in range(2)]
        seen["list axe"] = axe_violations(page)

        page.goto(detail)
        badge = page.locator(".verdict .badge")
        seen["verdict"] = (badge.text_content(), badge.evaluate("el => getComputedStyle(el).backgroundColor"))
        seen["credits"] = page.locator(".credits").text_content()
        seen["verdict axe"] = axe_violations(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "verdict.png", full_page=True)

        page.goto(detail + "embed/")
        seen["embed"] = page.locator(".badge").evaluate("el => getComputedStyle(el).backgroundColor")
        seen["embed axe"] = axe_violations(page)

        for name in ("/claimants/minister-jane-roe/", "/topics/", "/corrections/"):
            page.goto(base + name)
            seen[name] = axe_violations(page)

        page.goto(base + "/tips/")
        page.get_by_text("The claim is in another language").click()
        page.get_by_label("Other language").select_option("ar")
        seen["tips axe"] = axe_violations(page)
        page.get_by_label("What claim should we check?").fill("قال الوزير إن البطالة انخفضت إلى النصف")
        page.get_by_role("button", name="Send tip").click()
        seen["tip sent"] = page.get_by_role("status").text_content()
        return seen, page.problems

    seen, problems = chromium.run(read)

    assert seen["list"] == [GREEN, DARK_RED]
    assert seen["verdict"] == ("False", DARK_RED)
    assert seen["embed"] == DARK_RED
    assert seen["credits"] == "Checked by Рита Rossi, approved by erin."
    assert "Thank you." in seen["tip sent"]
    assert {k: v for k, v in seen.items() if k.endswith("axe") or k.startswith("/")} == {
        "list axe": [],
        "verdict axe": [],
        "embed axe": [],
        "/claimants/minister-jane-roe/": [],
        "/topics/": [],
        "/corrections/": [],
        "tips axe": [],
    }
    assert problems == []
    assert (ARTIFACTS / "verdict.png").stat().st_size > 10_000
