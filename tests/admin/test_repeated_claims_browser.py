"""Claim tracking in Chromium: the desk's "Repeated claims" list and the verdict page that tells readers where the
claim was repeated, both clean for axe-core."""

from datetime import timedelta

from django.utils import timezone

from claims.models import Claimant, ClaimAppearance, Report
from tests.browser import ARTIFACTS, axe_violations, in_a_live_database, needs_chromium
from tests.conftest import PASSWORD

pytestmark = [needs_chromium, in_a_live_database]

DESK = {"viewport": {"width": 1280, "height": 900}}


def test_the_repeated_claims_list_and_the_verdict_page_read_well(
    chromium, live_server, make_claim, desk, editor, journalist
):
    fact_check = desk.published(make_claim())
    senator = Claimant.objects.create(name="Senator Ann Smith")
    for day, (headline, outlet, claimant) in enumerate(
        [("Five-hour talks, again", "Radio X", None), ("Переговоры затянулись", "", senator)], start=1
    ):
        report = Report.objects.create(
            url=f"https://radio.example.net/{day}",
            headline=headline,
            outlet=outlet,
            language="en",
            submitted_by=journalist,
        )
        ClaimAppearance.objects.create(
            claim=fact_check.claim,
            report=report,
            start=0,
            end=37,
            quote="The talks lasted more than five hours",
            claimant=claimant,
            appeared_on=timezone.localdate() - timedelta(days=day),
            score=0.9,
        )
    base = live_server.url

    def read(page):
        seen = {}
        page.goto(f"{base}/admin/login/")
        page.get_by_label("Username").fill(editor.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/admin/")
        page.get_by_role("link", name="repetitions of claims we checked", exact=False).click()
        page.wait_for_url("**/admin/claims/claimappearance/**")
        seen["heading"] = page.locator("h1").text_content()
        seen["rows"] = page.locator("#result_list tbody tr").count()
        seen["list axe"] = axe_violations(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "repeated-claims.png", full_page=True)

        page.locator("#result_list tbody tr").first.get_by_role("link", name="public verdict").click()
        page.wait_for_url(f"{base}{fact_check.get_absolute_url()}")
        seen["repetitions"] = page.locator("section.repetitions h2").text_content()
        seen["links"] = page.locator("section.repetitions li a").evaluate_all("links => links.map(a => a.rel)")
        seen["verdict axe"] = axe_violations(page)
        page.screenshot(path=ARTIFACTS / "verdict-repetitions.png", full_page=True)
        return seen, page.problems

    seen, problems = chromium.run(read, **DESK)

    assert seen["heading"] == "Repeated claims"
    assert seen["rows"] == 2
    assert seen["repetitions"] == "This claim has been repeated 2 times since we checked it"
    assert seen["links"] == ["nofollow noopener", "nofollow noopener"]
    assert (seen["list axe"], seen["verdict axe"]) == ([], [])
    assert problems == []


def test_an_editor_marks_a_duplicate_from_the_claims_page(chromium, live_server, make_claim, editor):
    canonical = make_claim()
    repeat = make_claim("The Geneva talks lasted more than five hours, the minister said")
    base = live_server.url

    def mark(page):
        seen = {}
        page.goto(f"{base}/admin/login/")
        page.get_by_label("Username").fill(editor.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/admin/")
        page.goto(f"{base}/admin/claims/claim/{repeat.pk}/change/")
        page.get_by_role("link", name="Mark as duplicate", exact=True).click()
        page.wait_for_url("**/admin/claims/claim/actions/duplicate/**")
        seen["confirm axe"] = axe_violations(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "mark-duplicate.png", full_page=True)
        page.get_by_label(f"#{canonical.pk} The talks lasted more than five hours", exact=False).check()
        page.get_by_role("button", name="Mark as duplicate", exact=True).click()
        page.wait_for_url(f"{base}/admin/claims/claim/{repeat.pk}/change/")
        seen["message"] = page.locator(".messagelist").text_content().strip()
        seen["link"] = page.locator(".desk-duplicate a").text_content()
        seen["claim axe"] = axe_violations(page)
        return seen, page.problems

    seen, problems = chromium.run(mark, **DESK)

    assert seen["message"].endswith("rejected as a duplicate of Claim «The talks lasted more than five hours».")
    assert seen["link"] == f"#{canonical.pk}"
    assert (seen["confirm axe"], seen["claim axe"]) == ([], [])
    assert problems == []
