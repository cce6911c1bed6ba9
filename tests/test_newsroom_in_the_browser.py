"""The whole newsroom in a real browser: a journalist submits, editors triage and assign, a reviewer writes and fixes
the review, another editor publishes, the journalist follows it, and an editor corrects then retracts. Every role
works in its own browser context and signs in through its own sign-in page; only the accounts are made directly."""

import re
from functools import partial

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from claims import services as claim_services
from claims.models import Claim, ClaimEvent
from core.roles import Role
from factcheck.record.models import FactCheck
from reviews.services.members import add_member
from tests.browser import ARTIFACTS, axe_violations, in_a_live_database, needs_chromium
from tests.conftest import PASSWORD

pytestmark = [needs_chromium, in_a_live_database]

DESK = {"viewport": {"width": 1280, "height": 900}}
BODY = (
    "Ministers met in Geneva on Friday.\n"
    "The talks lasted more than five hours, the minister said.\n"
    "Trade rose by 12% last year, according to the ministry."
)
CHECKED = "The Geneva talks lasted over five hours"
REJECTED = "Trade grew by 12% in 2025"
REJECTION = "Это мнение министерства, не проверяемый факт."
RETURN_NOTE = "Say which schedule you used in the summary."
FIXED_SUMMARY = "The talks lasted four hours, says the official schedule."
CORRECTION = "We misread the schedule: the talks ran for four and a half hours."
RETRACTION = "The schedule we relied on turned out to be a draft."
PATH = [
    "submitted",
    "queued",
    "assigned",  # routing offers it
    "queued",  # the editor releases that offer …
    "assigned",  # … and hands it to the other reviewer
    "in_review",
    "awaiting_approval",
    "in_review",  # returned with comments
    "awaiting_approval",
    "published",
    "retracted",
]


@pytest.fixture
def newsroom(db):
    """A journalist, two English reviewers with room for three claims each, and two editors."""
    add_member(username="nadia", role=Role.JOURNALIST, password=PASSWORD)
    for name in ("ravi", "rosa"):
        add_member(username=name, role=Role.REVIEWER, password=PASSWORD, languages=["en"], capacity=3)
    for name in ("edith", "emil"):
        add_member(username=name, role=Role.EDITOR, password=PASSWORD)


def workspace_sign_in(page, base: str, username: str, start: str) -> None:
    page.goto(f"{base}/workspace/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{start}")


def desk_sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/admin/")


def confirm(page, claim_url: str, button: str, **fields: str) -> str:
    """From the claim's page: open an action's confirmation page, fill it, confirm; the message shown after."""
    page.goto(claim_url)
    page.get_by_role("link", name=button, exact=True).click()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(claim_url)
    return page.locator(".messagelist").text_content()


def opened_claim(page) -> str:
    """The address of the claim page just opened from a list, without the list's filters Django carries along."""
    page.wait_for_url("**/admin/claims/claim/*/change/**")
    return page.url.split("?")[0]


def open_public_page(page) -> str:
    """Follow the public link the last message gave."""
    page.locator(".messagelist a[href^='/fact-checks/']").last.click()
    page.wait_for_url("**/fact-checks/*/")
    return page.url


def submit_claim(page, text: str, quote: str, claimant: str, count: int) -> None:
    page.get_by_label("Quote from the report").fill(quote)
    page.get_by_label("Claim to check").fill(text)
    page.get_by_label("Who made the claim (optional)").fill(claimant)
    page.get_by_label("A person").check()
    page.get_by_role("button", name="Submit the claim").click()
    expect(page.locator("#claims ol.claims > li")).to_have_count(count)


def journalist_submits(page, base: str, audits: dict) -> list:
    page.goto(f"{base}/workspace/sign-in/")
    audits["sign-in"] = axe_violations(page)
    workspace_sign_in(page, base, "nadia", "/workspace/my-claims/")
    page.get_by_role("link", name="Submit a report").first.click()
    page.wait_for_url(f"{base}/workspace/reports/new/")
    audits["report form"] = axe_violations(page)
    page.get_by_label("Headline").fill("Ministers meet in Geneva")
    page.get_by_label("Outlet (optional)").fill("Example News")
    page.get_by_label("Text of the report").fill(BODY)
    page.get_by_role("button", name="Save the report").click()
    page.wait_for_url(re.compile(r"/workspace/reports/\d+/$"))
    submit_claim(page, CHECKED, "The talks lasted more than five hours", "Minister Jane Roe", count=1)
    submit_claim(page, REJECTED, "Trade rose by 12% last year", "Minister Jane Roe", count=2)
    audits["report page"] = axe_violations(page)
    return page.problems


def editor_triages(page, base: str, audits: dict) -> dict:
    desk_sign_in(page, base, "edith")
    submitted = page.locator('a.desk-count[href$="status__exact=submitted"]')
    seen = {"submitted on the dashboard": submitted.locator(".desk-count-figure").text_content()}
    audits["dashboard"] = axe_violations(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "e2e-dashboard.png", full_page=True)

    submitted.click()
    page.wait_for_url("**/admin/claims/claim/?status__exact=submitted")
    page.get_by_role("link", name=CHECKED).click()
    seen["claim url"] = claim_url = opened_claim(page)
    page.get_by_role("link", name="Accept", exact=True).click()
    page.get_by_label("Priority").select_option("high")
    page.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_url(claim_url)
    seen["accepted"] = page.locator(".messagelist").text_content()
    offers = page.locator("section:has(#desk-assignments-heading) tbody tr")
    seen["routed to"] = offers.locator("td").first.text_content()
    seen["reassigned to"] = other = {"ravi": "rosa", "rosa": "ravi"}[seen["routed to"]]

    page.get_by_role("link", name="Assign", exact=True).click()
    page.get_by_label("Reviewer").select_option(label=f"{other} (0/3)")
    page.get_by_label("Note for the history").fill(f"{other} covered the Geneva summit.")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.wait_for_url(claim_url)
    seen["assigned"] = page.locator(".messagelist").text_content()
    audits["claim page"] = axe_violations(page)
    page.screenshot(path=ARTIFACTS / "e2e-claim-page.png", full_page=True)

    page.goto(f"{base}/admin/")
    page.locator('a.desk-count[href$="status__exact=submitted"]').click()
    page.wait_for_url("**/admin/claims/claim/?status__exact=submitted")
    page.get_by_role("link", name=REJECTED).click()
    seen["rejected"] = confirm(page, opened_claim(page), "Reject", **{"Why is it rejected?": REJECTION})
    seen["problems"] = page.problems
    return seen


def add_source(page, url: str, title: str, publisher: str, count: int) -> None:
    page.get_by_label("URL", exact=True).fill(url)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Publisher (optional)").fill(publisher)
    page.get_by_role("button", name="Add source").click()
    expect(page.locator("ol.editable-sources .source-title a")).to_have_count(count)


def reviewer_writes(page, base: str, reviewer: str, audits: dict) -> dict:
    workspace_sign_in(page, base, reviewer, "/workspace/queue/")
    audits["queue"] = axe_violations(page)
    page.get_by_role("button", name=re.compile("^Accept")).click()
    page.wait_for_url("**/workspace/queue/claims/*/")
    seen = {"accepted": page.locator(".messages").text_content()}
    audits["claim"] = axe_violations(page)

    page.get_by_role("link", name="Write the review").click()
    page.wait_for_url("**/workspace/queue/claims/*/review/")
    page.get_by_label("False", exact=True).check()
    page.get_by_label("Summary", exact=True).fill("The talks lasted four hours.")
    page.get_by_label("Explanation", exact=True).fill("The schedule shows **four hours**, from 10:00 to 14:00.")
    expect(page.locator("#explanation-preview strong")).to_have_text("four hours")
    add_source(page, "https://gov.example.org/schedule", "Official schedule", "Government Press Office", count=1)
    add_source(page, "https://news.example.org/pool", "Press pool notes", "وكالة الأنباء", count=2)
    audits["review form"] = axe_violations(page)
    page.screenshot(path=ARTIFACTS / "e2e-review-form.png", full_page=True)

    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_url("**/workspace/queue/claims/*/")
    seen["submitted"] = page.locator(".messages").text_content()
    seen["problems"] = page.problems
    return seen


def desk_returns(page, base: str, claim_url: str, audits: dict) -> dict:
    desk_sign_in(page, base, "edith")
    message = confirm(page, claim_url, "Return with comments", **{"Comments for the reviewer": RETURN_NOTE})
    audits["claim page with its review"] = axe_violations(page)
    return {"message": message, "problems": page.problems}


def reviewer_fixes(page, base: str, reviewer: str, audits: dict) -> dict:
    workspace_sign_in(page, base, reviewer, "/workspace/queue/")
    page.get_by_role("link", name=re.compile("^Write the review")).click()
    page.wait_for_url("**/workspace/queue/claims/*/review/")
    seen = {"comments": page.locator(".returned").text_content()}
    audits["returned review"] = axe_violations(page)
    page.get_by_label("Summary", exact=True).fill(FIXED_SUMMARY)
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_url("**/workspace/queue/claims/*/")
    seen["comments left"] = page.locator(".returned").count()
    seen["problems"] = page.problems
    return seen


def editor_publishes(page, base: str, claim_url: str, audits: dict) -> dict:
    desk_sign_in(page, base, "emil")
    seen = {"approved": confirm(page, claim_url, "Approve and publish")}
    seen["public url"] = open_public_page(page)
    seen["claim"] = page.locator("h1").text_content()
    seen["rating"] = page.locator(".verdict .rating").text_content()
    audits["verdict"] = axe_violations(page)
    page.screenshot(path=ARTIFACTS / "e2e-verdict.png", full_page=True)
    seen["problems"] = page.problems
    return seen


def journalist_follows(page, base: str, audits: dict) -> dict:
    workspace_sign_in(page, base, "nadia", "/workspace/my-claims/")
    rows = page.locator("table.claims tbody tr")
    checked, rejected = rows.filter(has_text=CHECKED), rows.filter(has_text=REJECTED)
    seen = {
        "statuses": [checked.locator(".status").text_content(), rejected.locator(".status").text_content()],
        "notes on the rejected claim": rejected.locator(".notes").text_content(),
        "verdict link": checked.get_by_role("link", name=re.compile("^Read the verdict")).get_attribute("href"),
    }
    audits["my claims"] = axe_violations(page)
    page.screenshot(path=ARTIFACTS / "e2e-journalist-claims.png", full_page=True)
    checked.get_by_role("link", name=re.compile("^Read the verdict")).click()
    page.wait_for_url("**/fact-checks/*/")
    seen["verdict opened"] = page.locator("h1").text_content()
    seen["problems"] = page.problems
    return seen


def editor_corrects_then_retracts(page, base: str, claim_url: str, audits: dict) -> dict:
    desk_sign_in(page, base, "edith")
    page.goto(claim_url)
    page.get_by_role("link", name="Correct", exact=True).click()
    page.get_by_label("Public note: what changed and why").fill(CORRECTION)
    page.get_by_label("Rating").select_option("mostly-false")
    page.get_by_role("button", name="Correct", exact=True).click()
    page.wait_for_url(claim_url)
    seen = {"corrected": page.locator(".messagelist").text_content()}
    open_public_page(page)
    seen["corrections shown"] = page.locator("ol.corrections").text_content()
    seen["rating after the correction"] = page.locator(".verdict .rating").text_content()
    audits["corrected verdict"] = axe_violations(page)

    seen["retracted"] = confirm(
        page, claim_url, "Retract", **{"Why is it retracted? (shown on the public page)": RETRACTION}
    )
    open_public_page(page)
    seen["tombstone"] = page.locator(".tombstone h2").text_content()
    seen["reason shown"] = page.locator(".tombstone .reason").text_content()
    seen["verdicts left"] = page.locator(".verdict").count()
    audits["tombstone"] = axe_violations(page)
    seen["problems"] = page.problems
    return seen


def test_a_claim_goes_from_the_journalist_to_a_retracted_verdict_in_the_browser(chromium, live_server, newsroom):
    base, audits = live_server.url, {}

    def act(step, **arguments):
        """One role's step in a browser context of its own."""
        return chromium.run(partial(step, base=base, audits=audits, **arguments), **DESK)

    assert act(journalist_submits) == []

    triaged = act(editor_triages)
    assert triaged["submitted on the dashboard"] == "2"
    assert "accepted into the queue (High priority)" in triaged["accepted"]
    reviewer = triaged["reassigned to"]
    assert f"assigned to {reviewer} (due " in triaged["assigned"]
    assert f"Claim «{REJECTED}» rejected." in triaged["rejected"]
    assert triaged["problems"] == []
    claim = Claim.objects.get(text=CHECKED)
    assert claim.priority == "high"
    assert claim.assignments.get(state="offered").reviewer.username == reviewer
    assert claim.assignments.get(state="released").reviewer.username == triaged["routed to"]

    written = act(reviewer_writes, reviewer=reviewer)
    assert "You accepted the claim" in written["accepted"]
    assert "submitted for approval" in written["submitted"]
    assert written["problems"] == []

    returned = act(desk_returns, claim_url=triaged["claim url"])
    assert f"returned to {reviewer} with your comments." in returned["message"]
    assert returned["problems"] == []

    fixed = act(reviewer_fixes, reviewer=reviewer)
    assert RETURN_NOTE in fixed["comments"] and "edith" in fixed["comments"]
    assert fixed["comments left"] == 0
    assert fixed["problems"] == []

    published = act(editor_publishes, claim_url=triaged["claim url"])
    public_path = FactCheck.objects.get(claim=claim).get_absolute_url()
    assert f"published: {public_path}" in published["approved"]
    assert published["public url"] == base + public_path
    assert (published["claim"], published["rating"]) == (CHECKED, "False")
    assert published["problems"] == []

    followed = act(journalist_follows)
    assert followed["statuses"] == ["Published", "Rejected"]
    assert REJECTION in followed["notes on the rejected claim"]
    assert followed["verdict link"] == public_path
    assert followed["verdict opened"] == CHECKED
    assert followed["problems"] == []

    ended = act(editor_corrects_then_retracts, claim_url=triaged["claim url"])
    assert f"corrected: {public_path}" in ended["corrected"]
    assert CORRECTION in ended["corrections shown"]
    assert ended["rating after the correction"] == "Mostly false"
    assert f"retracted; its page is now a tombstone: {public_path}" in ended["retracted"]
    assert ended["tombstone"] == "This fact-check was retracted"
    assert ended["reason shown"] == RETRACTION
    assert ended["verdicts left"] == 0
    assert ended["problems"] == []

    assert {page: found for page, found in audits.items() if found} == {}
    events = ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.TRANSITION)
    assert list(events.values_list("to_status", flat=True)) == PATH
    fact_check = FactCheck.objects.get(claim=claim)
    assert fact_check.versions.count() == 2
    assert fact_check.current_version.note == CORRECTION
    assert fact_check.retraction_reason == RETRACTION
    assert Claim.objects.get(text=REJECTED).events.last().note == REJECTION
    for name in ("dashboard", "claim-page", "review-form", "verdict", "journalist-claims"):
        assert (ARTIFACTS / f"e2e-{name}.png").stat().st_size > 10_000, name


def test_only_editors_get_into_the_desk_and_its_actions(chromium, live_server, newsroom):
    base = live_server.url
    journalist = get_user_model().objects.get(username="nadia")
    report = claim_services.submit_report(
        user=journalist, headline="Ministers meet in Geneva", language="en", body=f"{CHECKED}, the minister said."
    )
    claim = claim_services.submit_claim(user=journalist, text=CHECKED, report=report.pk, language="en")

    def reviewer_tries_the_desk(page):
        page.goto(f"{base}/admin/login/")
        page.get_by_label("Username").fill("ravi")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".errornote")).to_be_visible()
        refused_at = page.url
        page.goto(f"{base}/admin/claims/claim/{claim.pk}/change/")
        return refused_at, page.url, page.problems

    refused_at, sent_to, problems = chromium.run(reviewer_tries_the_desk)
    assert refused_at == f"{base}/admin/login/"
    assert sent_to.startswith(f"{base}/admin/login/?next=")
    assert problems == []

    def journalist_forges_an_accept(page):
        workspace_sign_in(page, base, "nadia", "/workspace/my-claims/")
        token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
        data = {"ids": str(claim.pk), "priority": "high", "csrfmiddlewaretoken": token}
        answer = page.request.post(f"{base}/admin/claims/claim/actions/accept/", form=data, max_redirects=0)
        return answer.status, answer.headers.get("location", "")

    status, location = chromium.run(journalist_forges_an_accept)
    assert status == 302 and location.startswith("/admin/login/")
    claim.refresh_from_db()
    assert (claim.status, claim.priority) == ("submitted", "normal")
    assert list(claim.events.values_list("to_status", flat=True)) == ["submitted"]
