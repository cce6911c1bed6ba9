"""Lists as their readers use them: filters per resource, search, the page-size cap and cursor paging."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.services import submit_report
from factcheck.models import RatingScale
from reviews.models import Assignment

CLAIMS = "/api/v1/claims/"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_it_filters_claims_by_status_topic_claimant_and_rating(api, world, editor):
    client = api(editor)

    assert ids(client.get(CLAIMS, {"status": ["submitted", "published"]})) == {
        world.janes_submitted.pk,
        world.jims_submitted.pk,
        world.published.pk,
    }
    assert ids(client.get(CLAIMS, {"topic": "economy", "status": "in_review"})) == {
        world.ritas_claim.pk,
        world.rolfs_claim.pk,
    }
    assert ids(client.get(CLAIMS, {"claimant": "minister-jane-roe", "rating": "false"})) == {world.published.pk}
    assert ids(client.get(CLAIMS, {"claimant": "nobody"})) == set()
    assert client.get(CLAIMS, {"status": "pending"}).status_code == 400


def test_it_filters_claims_that_are_overdue(api, world, editor):
    Assignment.objects.filter(claim=world.rolfs_claim).update(due_at=timezone.now() - timedelta(hours=1))

    assert ids(api(editor).get(CLAIMS, {"overdue": "true"})) == {world.rolfs_claim.pk}
    assert world.rolfs_claim.pk not in ids(api(editor).get(CLAIMS, {"overdue": "false"}))


def test_it_filters_claims_by_creation_date_and_searches_their_text(api, world, editor):
    client = api(editor)
    later = (timezone.now() + timedelta(minutes=1)).isoformat()

    assert ids(client.get(CLAIMS, {"created_after": later})) == set()
    assert ids(client.get(CLAIMS, {"search": "doubled"})) == {world.rolfs_claim.pk}


def test_it_filters_assignments_and_reviewers_by_language_and_topic(api, world, editor, reviewer):
    client = api(editor)
    profile = reviewer.reviewer_profile

    assert ids(client.get("/api/v1/assignments/", {"language": "en", "state": "accepted", "topic": "economy"})) == {
        world.ritas_assignment.pk,
        world.rolfs_assignment.pk,
    }
    assert ids(client.get("/api/v1/reviewers/", {"language": "de"})) == {profile.pk}
    assert ids(client.get("/api/v1/reviewers/", {"topic": "economy"})) == set()


def test_it_caps_the_page_size_at_100(api, editor, journalist):
    for i in range(101):
        submit_report(user=journalist, headline=f"Report {i}", language="en", body="Text.")

    page = api(editor).get("/api/v1/reports/", {"page_size": 1000}).json()
    rest = api(editor).get(page["next"]).json()

    # Pages by cursor carry no count: the 101st report is on the next page.
    assert (len(page["results"]), len(rest["results"]), rest["next"]) == (100, 1, None)
    assert len(api(editor).get("/api/v1/reports/", {"page_size": 5}).json()["results"]) == 5


def test_it_filters_public_fact_checks_by_rating_topic_and_language(api, world):
    client = api()

    def slugs(**params):
        return [fc["slug"] for fc in client.get("/api/v1/fact-checks/", params).json()["results"]]

    assert slugs(rating="false", topic="economy", language="en") == [world.fact_check.slug]
    assert slugs(rating="true") == []
    assert slugs(claimant="minister-jane-roe", retracted="false") == [world.fact_check.slug]


def test_it_pages_rating_scales_by_cursor_with_the_default_first(api, db):
    RatingScale.objects.create(slug="binary", name="Binary", best=2, worst=1)

    page = api().get("/api/v1/ratings/", {"page_size": 1}).json()
    rest = api().get(page["next"]).json()

    assert [s["slug"] for s in page["results"] + rest["results"]] == ["accuracy", "binary"]
    assert rest["next"] is None


def test_it_reads_date_filters_with_any_iso_offset(api, world, editor):
    # +23:00 is valid ISO 8601 but beyond PostgreSQL's ±15:59: the filter turns it into UTC first.
    tomorrow_far_east = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+23:00")

    assert ids(api(editor).get(CLAIMS, {"created_before": tomorrow_far_east})) == {
        world.janes_submitted.pk,
        world.jims_submitted.pk,
        world.ritas_claim.pk,
        world.rolfs_claim.pk,
        world.published.pk,
    }
    assert api(editor).get(CLAIMS, {"created_after": "0001-01-01T00:00:00+14:00"}).status_code == 400


@pytest.mark.parametrize("size", ["abc", "0", "-1", "2.5", "\u0661\u0660", ""])
def test_a_page_size_that_is_no_whole_number_is_refused_not_replaced_by_the_default(api, editor, size):
    answer = api(editor).get("/api/v1/reports/", {"page_size": size})

    assert answer.status_code == 400, answer.content
    assert answer.json() == {"page_size": ["A whole number of rows, at least 1 (a page holds at most 100)."]}
    assert api().get("/api/v1/fact-checks/", {"page_size": size}).status_code == 400
