"""The claims list and the claim's own page in the editors' desk: what they show, to whom, and at what cost."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, ClaimEvent, Origin
from reviews.models import Assignment, Source
from tests.admin.desk import CLAIMS
from tests.browser import ARTIFACTS, axe_violations, in_a_live_database, needs_chromium


def page_of(client, claim) -> str:
    response = client.get(f"{CLAIMS}{claim.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_it_shows_the_quote_in_the_report_history_assignments_review_and_published_link(as_editor, make_claim, desk):
    claim = make_claim()
    fact_check = desk.published(claim)

    html = page_of(as_editor, claim)

    assert "<mark>The talks lasted more than five hours</mark>, the minister said. Trade rose" in html
    history = html.split('id="desk-history-heading"')[1]
    assert "eddie" in history and "Awaiting Approval → Published" in history
    assert "rita" in html.split('id="desk-assignments-heading"')[1]
    assert "Completed" in html.split('id="desk-assignments-heading"')[1]
    review = html.split('id="desk-review-heading"')[1]
    assert "False" in review and "It was four hours." in review
    source = '<a href="https://gov.example.org/schedule" rel="noopener noreferrer"><bdi>Official schedule</bdi></a>'
    assert source in review
    url = fact_check.get_absolute_url()
    assert f'<a href="{url}">{url}</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "shown", "hidden"),
    [
        (None, ["Accept", "Reject"], ["Route now", "Approve and publish", "Retract"]),
        ("queue", ["Assign"], ["Accept", "Approve and publish"]),
        ("awaiting_approval", ["Approve and publish", "Return with comments"], ["Accept", "Assign", "Retract"]),
        ("published", ["Correct", "Retract"], ["Accept", "Approve and publish", "Return with comments"]),
    ],
)
def test_it_offers_only_the_actions_the_claims_status_allows(as_editor, make_claim, desk, step, shown, hidden):
    claim = make_claim()
    if step:
        getattr(desk, step)(claim)

    buttons = [
        part.split(">", 1)[1].split("<", 1)[0] for part in page_of(as_editor, claim).split('class="desk-action"')[1:]
    ]

    assert set(shown) <= set(buttons)
    assert not set(hidden) & set(buttons)


@pytest.mark.django_db
def test_it_keeps_the_claim_page_queries_constant_however_long_its_history(as_editor, make_claim, desk, reviewer):
    short, long = make_claim("Short history"), make_claim("Long history")
    for claim in (short, long):
        desk.awaiting_approval(claim)
    review = long.review
    for n in range(30):
        ClaimEvent.objects.create(
            claim=long, actor=reviewer, from_status="in_review", to_status="in_review", note=f"{n}"
        )
        Source.objects.create(review=review, url=f"https://example.org/{n}", title=f"Source {n}", position=n + 1)
        Assignment.objects.create(
            claim=long, reviewer=reviewer, state="released", accept_by=timezone.now(), due_at=timezone.now()
        )

    assert queries_for(as_editor, f"{CLAIMS}{short.pk}/change/") == queries_for(as_editor, f"{CLAIMS}{long.pk}/change/")


@pytest.mark.django_db
def test_it_costs_the_same_queries_to_list_one_claim_or_a_hundred(as_editor, make_claim, journalist, desk):
    desk.assigned(make_claim())
    one = queries_for(as_editor, CLAIMS)
    Claim.objects.bulk_create(
        Claim(text=f"Claim number {n}", language="en", submitted_by=journalist, priority="high") for n in range(99)
    )

    response = as_editor.get(CLAIMS)
    assert response.content.decode().count('class="desk-text"') == 100
    assert queries_for(as_editor, CLAIMS) == one


@pytest.mark.django_db
def test_it_lists_badges_the_whole_text_on_hover_and_what_is_overdue(as_editor, make_claim, desk):
    long_text = "The talks lasted more than five hours and ended with an agreement on trade, energy and the border " * 2
    late = make_claim(long_text.strip())
    desk.assigned(late)
    Assignment.objects.filter(claim=late).update(due_at=timezone.now() - timedelta(hours=1))
    make_claim("Trade rose by 12% last year")

    html = as_editor.get(CLAIMS).content.decode()

    assert f'title="{long_text.strip()}"' in html
    assert "…</span>" in html
    assert '<span class="desk-badge desk-status-assigned">Assigned</span>' in html
    assert '<span class="desk-badge desk-priority-normal">Normal</span>' in html
    assert html.count('class="desk-badge desk-overdue-yes"') == 1
    rows = html.split("<tr")
    assert "desk-overdue-yes" in next(row for row in rows if "ended with an agreement" in row)


@pytest.mark.django_db
def test_it_shows_a_readers_address_only_to_editors(client, editor, journalist, make_claim):
    tip = make_claim("A reader says so")
    Claim.objects.filter(pk=tip.pk).update(origin=Origin.READER_TIP, tip_email="reader@example.org")
    journalist.is_staff = True
    journalist.save()
    journalist.user_permissions.add(Permission.objects.get(codename="view_claim"))

    client.force_login(editor)
    assert "reader@example.org" in page_of(client, tip)
    client.force_login(journalist)
    shown_to_journalist = page_of(client, tip)
    assert "A reader says so" in shown_to_journalist
    assert "reader@example.org" not in shown_to_journalist
    assert 'class="desk-action"' not in shown_to_journalist


# In the browser


def sign_in(page, base_url: str, username: str) -> None:
    from tests.conftest import PASSWORD

    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/admin/")


@needs_chromium
@in_a_live_database
def test_it_accepts_and_assigns_from_the_claim_page_in_chromium(
    chromium, live_server, make_claim, editor, reviewer, other_reviewer
):
    claim = make_claim()
    claim_url = f"{live_server.url}{CLAIMS}{claim.pk}/change/"

    def accept_then_assign(page):
        sign_in(page, live_server.url, "eddie")
        page.goto(claim_url)
        assert page.locator("mark").text_content() == "The talks lasted more than five hours"
        page.get_by_role("link", name="Accept", exact=True).click()
        page.get_by_label("Priority").select_option("high")
        page.get_by_role("button", name="Accept").click()
        page.wait_for_url(claim_url)
        assert "accepted into the queue (High priority)" in page.locator(".messagelist").text_content()
        page.get_by_role("link", name="Assign", exact=True).click()
        # Routing may already have offered it to rita after the accept: the editor hands it to rolf instead.
        page.get_by_label("Reviewer").select_option(label="rolf (0/3)")
        confirm_violations = axe_violations(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "claim-assign.png", full_page=True)
        page.get_by_role("button", name="Assign").click()
        page.wait_for_url(claim_url)
        message = page.locator(".messagelist").text_content()
        page.screenshot(path=ARTIFACTS / "claim-page.png", full_page=True)
        return message, confirm_violations + axe_violations(page), page.problems

    message, violations, problems = chromium.run(accept_then_assign, viewport={"width": 1280, "height": 900})

    assert "assigned to rolf (due " in message
    claim.refresh_from_db()
    assert (claim.status, claim.priority) == ("assigned", "high")
    assert claim.assignments.get(state="offered").reviewer == other_reviewer
    assert violations == [], "\n".join(violations)
    assert problems == []


@needs_chromium
@in_a_live_database
@pytest.mark.parametrize("width", [1280, 1920])
def test_it_fits_the_claims_list_on_a_desk_screen(chromium, live_server, make_claim, desk, editor, width):
    late = make_claim("The talks lasted more than five hours and ended with a joint statement on trade and energy " * 2)
    desk.assigned(late)
    Assignment.objects.filter(claim=late).update(due_at=timezone.now() - timedelta(hours=1))
    make_claim("Переговоры длились более пяти часов", language="ru")
    waiting = make_claim("Trade rose by 12% last year", claimant="The Ministry of Foreign Affairs and Trade")
    Claim.objects.filter(pk=waiting.pk).update(status="awaiting_approval", priority="high")

    def read_list(page):
        sign_in(page, live_server.url, "eddie")
        page.goto(f"{live_server.url}{CLAIMS}")
        text = page.locator("tr:has(.desk-overdue-yes) .desk-text")
        overflow = page.evaluate(
            "Math.max(document.documentElement.scrollWidth - window.innerWidth,"
            " ...[...document.querySelectorAll('#changelist .results')].map(el => el.scrollWidth - el.clientWidth))"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"claims-list-{width}.png", full_page=True)
        return (
            text.get_attribute("title"),
            page.locator(".desk-overdue-yes").count(),
            overflow,
            axe_violations(page),
            page.problems,
        )

    title, overdue, overflow, violations, problems = chromium.run(read_list, viewport={"width": width, "height": 900})

    assert title == late.text
    assert overdue == 1
    assert overflow <= 0
    assert violations == [], "\n".join(violations)
    assert problems == []
