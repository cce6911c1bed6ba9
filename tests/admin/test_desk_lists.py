"""The desk's admin lists: readable cells (badges, cut text with the whole of it on hover, overdue marked, languages
as words) and a cost in queries that does not grow with the rows on the page."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, ClaimStatus, Priority
from factcheck.record.models import Rating
from reviews.models import Assignment, AssignmentState, Review

ASSIGNMENTS = "/admin/reviews/assignment/"
REVIEWS = "/admin/reviews/review/"
PROFILES = "/admin/reviews/reviewerprofile/"
LONG_TEXT = "The minister said the talks in Geneva lasted more than five hours and ended with a signed agreement"
STATES = [AssignmentState.OFFERED, AssignmentState.ACCEPTED, AssignmentState.COMPLETED, AssignmentState.EXPIRED]
# Each claim's status fits its assignment's state, as PostgreSQL's constraint trigger insists (reviews 0003).
CLAIM_STATUS = {
    AssignmentState.OFFERED: ClaimStatus.ASSIGNED,
    AssignmentState.ACCEPTED: ClaimStatus.IN_REVIEW,
    AssignmentState.COMPLETED: ClaimStatus.AWAITING_APPROVAL,
    AssignmentState.EXPIRED: ClaimStatus.QUEUED,
}


@pytest.fixture
def add_rows(journalist, editor, reviewer, other_reviewer):
    """`add_rows(n)` adds n claims, each with an assignment and a review, spread over reviewers, states, priorities
    and ratings, some assigned by hand and some overdue."""
    rating = Rating.objects.first()
    made = 0

    def add(n: int) -> None:
        nonlocal made
        now = timezone.now()
        claims = Claim.objects.bulk_create(
            Claim(
                text=f"{LONG_TEXT} ({made + i})",
                language="en",
                submitted_by=journalist,
                priority=list(Priority)[i % 3],
                status=CLAIM_STATUS[STATES[i % 4]],
            )
            for i in range(n)
        )
        people = [reviewer, other_reviewer]
        Assignment.objects.bulk_create(
            Assignment(
                claim=claim,
                reviewer=people[i % 2],
                state=STATES[i % 4],
                assigned_by=editor if i % 3 == 0 else None,
                accept_by=now + timedelta(hours=1),
                due_at=now + timedelta(hours=i - n // 2),
            )
            for i, claim in enumerate(claims)
        )
        Review.objects.bulk_create(
            Review(
                claim=claim,
                reviewer=people[i % 2],
                rating=rating if i % 2 else None,
                submitted_at=now if i % 3 else None,
            )
            for i, claim in enumerate(claims)
        )
        made += n

    return add


def queries_for(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("url", [ASSIGNMENTS, REVIEWS])
def test_a_list_costs_the_same_queries_with_1_and_100_rows(client, editor, add_rows, url):
    client.force_login(editor)
    add_rows(1)
    client.get(url)  # sessions, content types and permissions cached as on any later visit
    one, _ = queries_for(client, url)

    add_rows(99)
    hundred, response = queries_for(client, url)

    assert len(response.context["cl"].result_list) == 100
    assert hundred == one


def test_the_assignment_list_shows_badges_cut_text_and_overdue_work(client, editor, reviewer, add_rows):
    add_rows(4)
    Assignment.objects.filter(claim__text__endswith="(1)").update(due_at=timezone.now() - timedelta(hours=2))
    client.force_login(editor)

    page = client.get(ASSIGNMENTS).content.decode()

    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if "(1)" in r)
    assert f'title="{LONG_TEXT} (1)"' in row  # the whole text on hover
    shown = re.search(r'class="desk-truncate" title="[^"]+"[^>]*>([^<]+)<', row).group(1)
    assert shown.endswith("…") and len(shown) <= 60
    assert '<span class="desk-badge desk-state-accepted">Accepted</span>' in row
    assert '<span class="desk-badge desk-priority-normal">Normal</span>' in row
    assert '<span class="desk-badge desk-overdue-yes">overdue</span>' in row
    assert "rolf" in row
    completed = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if "(2)" in r)
    assert "desk-overdue-yes" not in completed  # finished work is never overdue
    assert 'href="/static/desk/desk.css"' in page or "desk/desk.css" in page


def test_the_assignment_list_keeps_text_in_any_script(client, editor, desk, make_claim):
    assignment = desk.in_review(make_claim("Переговоры длились более пяти часов, заявил министр иностранных дел"))
    client.force_login(editor)

    page = client.get(ASSIGNMENTS).content.decode()

    assert 'title="Переговоры длились более пяти часов, заявил министр иностранных дел"' in page
    assert "Переговоры длились более пяти часов" in page
    assert client.get(f"{ASSIGNMENTS}?q=Переговоры").context["cl"].result_list[0].pk == assignment.pk


def test_the_overdue_filter_lists_only_active_work_past_its_due_time(client, editor, add_rows):
    add_rows(8)  # due times from four hours ago to three hours ahead; every fourth one completed or expired
    client.force_login(editor)

    overdue = client.get(f"{ASSIGNMENTS}?overdue=yes").context["cl"].result_list

    now = timezone.now()
    assert overdue
    assert all(a.state in (AssignmentState.OFFERED, AssignmentState.ACCEPTED) and a.due_at <= now for a in overdue)
    expected = Assignment.objects.overdue_at(now).count()
    assert len(overdue) == expected


def test_reviewer_languages_read_as_a_list(client, editor, reviewer):
    client.force_login(editor)

    page = client.get(PROFILES).content.decode()

    assert '<td class="field-language_list">en, de</td>' in page
    assert "[&quot;en&quot;" not in page


def test_the_reviews_list_says_draft_returned_or_submitted(client, editor, add_rows):
    add_rows(3)
    client.force_login(editor)

    page = client.get(REVIEWS).content.decode()

    assert page.count('<span class="desk-badge desk-review-draft">draft</span>') == 1
    # Submitted once, but its claim is back in review: an editor returned it.
    assert page.count('<span class="desk-badge desk-review-returned">returned</span>') == 1
    assert page.count('<span class="desk-badge desk-review-submitted">submitted</span>') == 1
