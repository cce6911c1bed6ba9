"""The editors' dashboard (the admin's index): the desk's figures, links into filtered lists, the sections of the
app list, who may open it, and its cost in queries."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import ClaimEvent, ClaimStatus
from core.roles import Role
from reviews.models import Assignment, SweepFailure
from reviews.services.members import add_member
from tests.browser import ARTIFACTS, axe_violations, in_a_live_database, needs_chromium
from tests.conftest import PASSWORD

INDEX = "/admin/"
AFTERNOON = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def dashboard_links(page: str) -> list[str]:
    panels = page[page.index('class="desk-panels"') : page.index('id="content-related"')]
    links = re.findall(r'href="(/admin/[^"#]*)"', panels)
    return [link.replace("&amp;", "&") for link in links]


def slot(page: str, day, published: int, queued: int) -> bool:
    label = f"{day.day} {day:%b}"
    return f'data-label="{label}" data-bar="{published}" data-line="{queued}"' in page


def move_event(claim, status: str, at) -> None:
    ClaimEvent.objects.filter(claim=claim, to_status=status).update(at=at)


@pytest.fixture
def busy_desk(time_machine, desk, make_claim, editor):
    """Two verdicts published (today, and three days ago), one claim overdue, one waiting with no French reader,
    one just submitted, and a row the sweep could not handle. The afternoon keeps two hours earlier on the same day."""
    time_machine.move_to(AFTERNOON)
    now = timezone.now()
    today = desk.published(make_claim("The talks lasted more than five hours")).claim
    move_event(today, ClaimStatus.QUEUED, now - timedelta(hours=2))
    earlier = desk.published(make_claim("Trade rose by 12% last year")).claim
    move_event(earlier, ClaimStatus.QUEUED, now - timedelta(days=3, hours=4))
    move_event(earlier, ClaimStatus.PUBLISHED, now - timedelta(days=3))
    late = desk.in_review(make_claim("Инфляция упала до двух процентов"))
    Assignment.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=5))
    desk.queue(make_claim("Le chômage a baissé", language="fr"))
    make_claim("Exports doubled")
    SweepFailure.objects.create(
        step=SweepFailure.Step.ROUTE, row_id=today.pk, claim=today, error="OperationalError: database is locked"
    )
    return {"today": today, "earlier": earlier, "late": late}


def test_it_shows_the_desk_figures_to_an_editor(client, editor, busy_desk):
    client.force_login(editor)

    response = client.get(INDEX)

    assert response.status_code == 200
    page = response.content.decode()
    counts = dict(re.findall(r'status__exact=(\w+)"><span class="desk-count-figure">(\d+)</span>', page))
    assert counts == {
        "submitted": "1",
        "rejected": "0",
        "queued": "1",
        "assigned": "0",
        "in_review": "1",
        "awaiting_approval": "0",
        "published": "2",
        "retracted": "0",
    }
    overdue = page[page.index('id="desk-overdue"') : page.index('id="desk-stuck"')]
    assert "Инфляция упала до двух процентов" in overdue
    assert "rita" in overdue
    assert "Nothing is overdue" not in overdue
    stuck = page[page.index('id="desk-stuck"') : page.index('id="desk-loads"')]
    assert "OperationalError: database is locked" in stuck
    assert "The talks lasted more than five hours" in stuck
    loads = page[page.index('id="desk-loads"') :]
    assert re.search(r"rita</a>\s*</td>\s*<td class=\"desk-load-figures\">1 / 3</td>", loads)
    assert 'aria-label="1 of 3"' in loads


def test_it_draws_the_throughput_chart_from_the_same_figures(client, editor, busy_desk):
    client.force_login(editor)
    today = timezone.localdate()

    page = client.get(INDEX).content.decode()

    start = page.index('<svg class="desk-chart"')
    chart = page[start : page.index("</svg>", start)]
    assert '<title id="desk-throughput-title">' in chart
    assert "2 claims were published and 4 entered the queue" in chart  # the <desc>
    assert "median time from queue to publication: 3 h 0 min" in chart
    assert slot(page, today, published=1, queued=3)
    assert slot(page, today - timedelta(days=3), published=1, queued=1)
    assert slot(page, today - timedelta(days=1), published=0, queued=0)
    assert len(re.findall(r'class="desk-chart-slot"', chart)) == 30
    heights = re.findall(r'class="desk-chart-bar" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', chart)
    assert sum(float(h) > 0 for h in heights) == 2
    # The same figures in a table for those who do not see the chart.
    assert re.search(rf"<th scope=\"row\">{today:%Y-%m-%d}</th><td>1</td><td>3</td>", page)
    assert "Median time from queue to publication: <strong>3 h 0 min</strong>" in page


def test_every_dashboard_link_opens_a_filtered_list(client, editor, busy_desk):
    client.force_login(editor)

    links = dashboard_links(client.get(INDEX).content.decode())

    assert "/admin/claims/claim/?status__exact=queued" in links
    assert "/admin/reviews/assignment/?overdue=yes" in links
    assert "/admin/reviews/sweepfailure/" in links
    for link in links:
        assert client.get(link).status_code == 200, link
    overdue = client.get("/admin/reviews/assignment/?overdue=yes")
    assert [a.pk for a in overdue.context["cl"].result_list] == [busy_desk["late"].pk]
    queued = client.get("/admin/claims/claim/?status__exact=queued")
    assert [c.text for c in queued.context["cl"].result_list] == ["Le chômage a baissé"]


def test_the_dashboard_costs_the_same_queries_with_few_and_many_rows(
    client, editor, desk, make_claim, busy_desk, other_reviewer
):
    client.force_login(editor)
    client.get(INDEX)  # sessions, content types and permissions cached as on any later visit
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)

    for n in range(3):
        desk.published(make_claim(f"Published claim {n}"))
    for n in range(12):
        make_claim(f"Submitted claim {n}")
        SweepFailure.objects.create(step="expire", row_id=n, claim=busy_desk["today"], error=f"error {n}")
    for n in range(3):
        add_member(username=f"reviewer{n}", role=Role.REVIEWER, languages=["en"])
    for n in range(4):
        desk.assigned(make_claim(f"Assigned claim {n}"))
    Assignment.objects.active().update(due_at=timezone.now() - timedelta(minutes=1))
    with CaptureQueriesContext(connection) as many:
        response = client.get(INDEX)

    assert response.context["desk"]["figures"].stuck_total == 13
    assert response.context["desk"]["figures"].overdue_total == 5
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_the_app_list_puts_the_desk_first_and_operations_last(client, editor):
    client.force_login(editor)

    app_list = client.get(INDEX).context["app_list"]

    names = [app["name"] for app in app_list]
    assert names[:4] == ["Claims", "Review", "Published record", "Integrations"]
    assert names[-1] == "Operations"
    models = {app["name"]: [m["name"] for m in app["models"]] for app in app_list}
    assert models["Claims"][:4] == ["Claims", "Reports", "Claimants", "Topics"]
    assert set(models["Review"]) >= {"Assignments", "Reviews", "Reviewer profiles"}
    assert set(models["Published record"]) == {"Fact checks", "Rating scales"}
    # Editors see the operations tables they have permission for, and only those.
    assert models["Operations"] == ["Sweep failures", "Unroutable alerts", "Webhook deliveries"]


def test_a_superuser_sees_every_internal_table_under_operations(client, editor):
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)

    app_list = client.get(INDEX).context["app_list"]

    operations = [m["name"] for m in app_list[-1]["models"]]
    assert app_list[-1]["name"] == "Operations"
    assert {"Idempotency records", "Webhook deliveries", "Sweep failures", "Unroutable alerts"} <= set(operations)
    assert any(name.startswith("Access") for name in operations)  # django-axes' tables
    internal = set(operations)
    for app in app_list[:-1]:
        assert not internal & {m["name"] for m in app["models"]}, app["name"]


def test_a_section_page_lists_its_tables(client, editor):
    client.force_login(editor)

    response = client.get("/admin/section/operations/")

    assert response.status_code == 200
    assert [app["name"] for app in response.context["app_list"]] == ["Operations"]
    assert client.get("/admin/section/nothing-here/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "journalist"])
def test_only_editors_open_the_dashboard(client, journalist, busy_desk, who):
    if who == "journalist":
        client.force_login(journalist)

    response = client.get(INDEX)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "url",
    [
        INDEX,
        "/admin/login/",
        "/admin/reviews/assignment/",
        "/admin/section/claims/",
        "/admin/password_change/",
        "/admin/logout/",
    ],
)
def test_it_says_editors_desk_and_never_django_administration(client, editor, url):
    if url != "/admin/login/":
        client.force_login(editor)

    page = client.get(url).content.decode() if url != "/admin/logout/" else client.post(url).content.decode()

    assert "Editors&#x27; desk" in page
    assert "Django administration" not in page
    assert "Django site admin" not in page


@needs_chromium
@in_a_live_database
def test_it_shows_the_dashboard_in_chromium(chromium, live_server, editor, busy_desk):
    def sign_in_and_look(page):
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("Username").fill("eddie")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(live_server.url + INDEX)
        assert page.locator("svg.desk-chart").count() == 1
        assert page.locator(".desk-chart-bar").first.evaluate("el => getComputedStyle(el).fill") != "rgb(0, 0, 0)"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "dashboard.png", full_page=True)
        dashboard_violations = axe_violations(page)

        page.goto(live_server.url + "/admin/reviews/assignment/")
        widths = page.evaluate(
            """() => [document.documentElement.scrollWidth, window.innerWidth,
                      document.querySelector("#result_list").scrollWidth,
                      document.querySelector("#changelist .results").clientWidth]"""
        )
        headers = page.locator("#result_list thead th").all_text_contents()
        page.screenshot(path=ARTIFACTS / "assignments.png", full_page=True)
        return dashboard_violations, axe_violations(page), widths, headers, page.problems

    violations, list_violations, (scroll_width, viewport, table, results), headers, problems = chromium.run(
        sign_in_and_look, viewport={"width": 1280, "height": 900}
    )

    assert violations == []
    assert list_violations == []
    assert scroll_width <= viewport
    assert table <= results  # no column of the assignment list hides behind the table's own sideways scroll
    assert {"Claim", "Reviewer", "State", "Due"} <= {h.strip() for h in headers}
    assert problems == []
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000
