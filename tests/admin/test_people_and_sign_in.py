"""People on the desk's pages are names, not links to account pages editors may not open; journalists and reviewers
who sign in at the desk are sent to their workspace."""

import re

import pytest
from django.contrib.auth import get_user_model

from claims.models import ClaimEvent, Report
from core.roles import Role, grant_role
from reviews.models import Review
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

USERS = "/admin/auth/user/"


def readonly_cell(html: str, field: str) -> str:
    """The read-only value of a field on an admin change page."""
    found = re.search(rf'field-{field}\b.*?<div class="readonly">(.*?)</div>', html, re.S)
    assert found, f"no read-only {field} on the page"
    return found.group(1).strip()


@pytest.fixture
def pages(make_claim, desk, report):
    """The change pages of a report, a claim event, an assignment and a review, with who each names."""
    claim = make_claim()
    assignment = desk.awaiting_approval(claim)
    event = ClaimEvent.objects.filter(claim=claim, actor__isnull=False).order_by("pk").first()
    review = Review.objects.get(claim=claim)
    return [
        (f"/admin/claims/claim/{claim.pk}/change/", "submitted_by", "jane"),
        (f"/admin/claims/report/{report.pk}/change/", "submitted_by", "jane"),
        (f"/admin/claims/claimevent/{event.pk}/change/", "actor", event.actor.get_username()),
        (f"/admin/reviews/assignment/{assignment.pk}/change/", "reviewer", "rita"),
        (f"/admin/reviews/review/{review.pk}/change/", "reviewer", "rita"),
    ]


def test_it_names_people_without_linking_editors_to_account_pages_they_may_not_open(client, editor, pages):
    client.force_login(editor)
    assert client.get(USERS).status_code == 403

    for url, field, name in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert readonly_cell(html, field) == name, url
        assert USERS not in html, url


def test_it_still_links_people_for_editors_who_manage_accounts(client, pages):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    grant_role(admin, Role.EDITOR)
    client.force_login(admin)

    for url, field, name in pages:
        cell = readonly_cell(client.get(url).content.decode(), field)
        assert re.fullmatch(rf'<a href="{USERS}\d+/change/">{name}</a>', cell), url


def test_it_keeps_the_fields_read_only_when_an_editor_saves(client, editor, pages, other_reviewer):
    (url,) = [url for url, _, _ in pages if "/claims/report/" in url]
    client.force_login(editor)
    report_id = int(url.split("/")[-3])
    html = client.get(url).content.decode()
    assert 'name="submitted_by"' not in html

    client.post(
        url, {"headline": "Ministers meet in Geneva again", "language": "en", "submitted_by": other_reviewer.pk}
    )

    assert Report.objects.get(pk=report_id).submitted_by.get_username() == "jane"


@pytest.mark.parametrize("who", ["journalist", "reviewer"])
def test_it_sends_journalists_and_reviewers_to_their_workspace(client, who, request):
    user = request.getfixturevalue(who)

    answer = client.post("/admin/login/", {"username": user.get_username(), "password": PASSWORD})

    html = answer.content.decode()
    assert answer.status_code == 200
    assert "The editors&#x27; desk is for editors" in html or "The editors' desk is for editors" in html
    assert '<a href="/workspace/">workspace</a>' in html
    assert "Please enter the correct" not in html


def test_it_still_refuses_a_wrong_password_in_the_usual_words(client, journalist):
    answer = client.post("/admin/login/", {"username": "jane", "password": "not-the-password"})

    html = answer.content.decode()
    assert "Please enter the correct username and password" in html
    assert "/workspace/" not in html
