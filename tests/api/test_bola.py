"""Object-level authorisation: every endpoint that takes an id, tried by each role on someone else's object.

Objects a caller may not see answer 404 (their existence is not confirmed); objects they see but may not change
answer 403. Either way nothing changes. To cover a new endpoint, add a row to ENDPOINTS (and to the 403 tables if
some role sees the object without owning it).
"""

import json
from collections.abc import Callable
from typing import Any

import pytest

from claims.models import Claim, Claimant, ClaimEvent, Topic
from factcheck.models import FactCheck, FactCheckVersion
from reviews.models import Assignment, Review, ReviewerProfile, Source

REVIEW = {
    "rating": "true",
    "summary": "Hijacked",
    "explanation": "Hijacked",
    "sources": [{"url": "https://evil.example.org/", "title": "Hijacked"}],
}
SOURCE = {"url": "https://evil.example.org/", "title": "Hijacked"}

Body = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] | None

# (method, path, body). Placeholders name the target objects (see targets()); a callable body gets them too.
ENDPOINTS: list[tuple[str, str, Body]] = [
    ("GET", "/api/v1/reports/{report}/", None),
    ("GET", "/api/v1/claims/{claim}/", None),
    ("PATCH", "/api/v1/claims/{claim}/", {"text": "Hijacked"}),
    ("GET", "/api/v1/claims/{claim}/history/", None),
    ("POST", "/api/v1/claims/{submitted}/triage/", {"decision": "reject", "reason": "Hijacked"}),
    ("POST", "/api/v1/claims/{claim}/assign/", lambda t: {"reviewer": t["me"]}),
    ("GET", "/api/v1/claims/{claim}/review/", None),
    ("PUT", "/api/v1/claims/{claim}/review/", REVIEW),
    ("PATCH", "/api/v1/claims/{claim}/review/", {"summary": "Hijacked"}),
    ("POST", "/api/v1/claims/{claim}/review/sources/", SOURCE),
    ("DELETE", "/api/v1/claims/{claim}/review/sources/{source}/", None),
    ("POST", "/api/v1/claims/{claim}/review/sources/order/", lambda t: {"order": t["sources"][::-1]}),
    ("POST", "/api/v1/claims/{claim}/review/submit/", None),
    ("POST", "/api/v1/claims/{claim}/return/", {"note": "Hijacked"}),
    ("POST", "/api/v1/claims/{claim}/approve/", {}),
    ("POST", "/api/v1/claims/{published}/corrections/", {"note": "Hijacked", "summary": "Hijacked"}),
    ("POST", "/api/v1/claims/{published}/retract/", {"reason": "Hijacked"}),
    ("GET", "/api/v1/assignments/{assignment}/", None),
    ("POST", "/api/v1/assignments/{assignment}/accept/", None),
    ("POST", "/api/v1/assignments/{assignment}/decline/", {"reason": "Hijacked"}),
    ("GET", "/api/v1/reviewers/{profile}/", None),
    ("PATCH", "/api/v1/reviewers/{profile}/", {"away_until": "2099-01-01"}),
]

# Objects every signed-in user may read (shared vocabulary): others' writes are refused with 403.
SHARED_WRITES: list[tuple[str, str, Body]] = [
    ("PATCH", "/api/v1/claimants/{claimant}/", {"name": "Hijacked"}),
]

# What an editor sees but may not do: the reviewer's own work and the reviewer's answer to an offer.
EDITOR_FORBIDDEN: list[tuple[str, str, Body]] = [
    ("PUT", "/api/v1/claims/{claim}/review/", REVIEW),
    ("PATCH", "/api/v1/claims/{claim}/review/", {"summary": "Hijacked"}),
    ("POST", "/api/v1/claims/{claim}/review/sources/", SOURCE),
    ("DELETE", "/api/v1/claims/{claim}/review/sources/{source}/", None),
    ("POST", "/api/v1/claims/{claim}/review/sources/order/", lambda t: {"order": t["sources"][::-1]}),
    ("POST", "/api/v1/claims/{claim}/review/submit/", None),
    ("POST", "/api/v1/assignments/{assignment}/accept/", None),
    ("POST", "/api/v1/assignments/{assignment}/decline/", {"reason": "Hijacked"}),
]


def targets(world, me) -> dict[str, Any]:
    """Jim's work and Rolf's review: neither Jane (journalist) nor Rita (reviewer) has any part in it."""
    return {
        "report": world.jims_report.pk,
        "claim": world.rolfs_claim.pk,
        "submitted": world.jims_submitted.pk,
        "published": world.published.pk,
        "source": world.rolfs_sources[0].pk,
        "sources": [s.pk for s in world.rolfs_sources],
        "assignment": world.rolfs_assignment.pk,
        "profile": world.rolfs_assignment.reviewer.reviewer_profile.pk,
        "claimant": world.claimant.pk,
        "me": me.pk,
    }


def state() -> tuple:
    """Everything an attempt could change, row by row."""
    return (
        list(Claim.objects.order_by("pk").values_list("pk", "text", "status", "priority", "submitted_by")),
        list(Review.objects.order_by("pk").values_list("pk", "reviewer", "rating", "summary", "submitted_at")),
        list(Source.objects.order_by("pk").values_list("pk", "review", "position", "title")),
        list(Assignment.objects.order_by("pk").values_list("pk", "state", "reviewer")),
        list(ReviewerProfile.objects.order_by("pk").values_list("pk", "away_until", "active", "capacity")),
        list(FactCheck.objects.order_by("pk").values_list("pk", "current_version", "retracted_at")),
        FactCheckVersion.objects.count(),
        ClaimEvent.objects.count(),
        list(Claimant.objects.order_by("pk").values_list("pk", "name")),
        Topic.objects.count(),
    )


def attempt(client, method: str, path: str, body: Body, ids: dict[str, Any]):
    data = body(ids) if callable(body) else body
    return client.generic(
        method, path.format(**ids), data="" if data is None else json.dumps(data), content_type="application/json"
    )


def _id(row: tuple[str, str, Body]) -> str:
    return f"{row[0]} {row[1]}"


@pytest.mark.parametrize("role", ["journalist", "reviewer"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_id)
def test_it_answers_404_and_changes_nothing_for_objects_the_caller_may_not_see(request, api, world, role, endpoint):
    me = request.getfixturevalue(role)
    before = state()

    response = attempt(api(me), *endpoint, targets(world, me))

    assert response.status_code == 404, (role, endpoint, response.content)
    assert state() == before


@pytest.mark.parametrize("role", ["journalist", "reviewer"])
@pytest.mark.parametrize("endpoint", SHARED_WRITES, ids=_id)
def test_it_answers_403_for_writes_to_shared_objects_by_non_editors(request, api, world, role, endpoint):
    me = request.getfixturevalue(role)
    before = state()

    response = attempt(api(me), *endpoint, targets(world, me))

    assert response.status_code == 403, response.content
    assert state() == before


@pytest.mark.parametrize("endpoint", EDITOR_FORBIDDEN, ids=_id)
def test_it_answers_403_when_an_editor_touches_a_reviewers_work(api, world, editor, endpoint):
    before = state()

    response = attempt(api(editor), *endpoint, targets(world, editor))

    assert response.status_code == 403, response.content
    assert state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS + SHARED_WRITES, ids=_id)
def test_it_answers_401_to_anonymous_callers(api, world, editor, endpoint):
    before = state()

    response = attempt(api(), *endpoint, targets(world, editor))

    assert response.status_code == 401
    assert state() == before


def test_it_does_not_let_a_reviewer_remove_another_reviews_source_through_her_own_claim(api, world, reviewer):
    foreign = world.rolfs_sources[0]

    response = api(reviewer).delete(f"/api/v1/claims/{world.ritas_claim.pk}/review/sources/{foreign.pk}/")

    assert response.status_code == 404
    assert Source.objects.filter(pk=foreign.pk, review__claim=world.rolfs_claim).exists()


def test_it_does_not_let_a_reviewer_reorder_another_reviews_sources_into_her_own(api, world, reviewer):
    mine = [s.pk for s in world.ritas_sources]
    foreign = [s.pk for s in world.rolfs_sources]
    before = state()

    response = api(reviewer).post(
        f"/api/v1/claims/{world.ritas_claim.pk}/review/sources/order/", {"order": foreign + mine}, format="json"
    )

    assert response.status_code == 400
    assert state() == before


def test_it_keeps_a_journalists_own_claim_review_draft_from_them(api, world, journalist):
    # Jane submitted the claim Rita reviews: she sees the claim, not the draft verdict (403: the claim is hers).
    response = api(journalist).get(f"/api/v1/claims/{world.ritas_claim.pk}/review/")

    assert response.status_code == 403


LISTS = ["/api/v1/reports/", "/api/v1/claims/", "/api/v1/assignments/", "/api/v1/reviewers/"]


@pytest.mark.parametrize("role", ["journalist", "reviewer"])
@pytest.mark.parametrize("path", LISTS)
def test_it_lists_none_of_jims_or_rolfs_work_to_others(request, api, world, role, path):
    me = request.getfixturevalue(role)
    foreign = {
        "/api/v1/reports/": {world.jims_report.pk},
        "/api/v1/claims/": {world.rolfs_claim.pk, world.jims_submitted.pk, world.published.pk},
        "/api/v1/assignments/": {world.rolfs_assignment.pk},
        "/api/v1/reviewers/": {world.rolfs_assignment.reviewer.reviewer_profile.pk},
    }[path]

    # ?mine=false must not widen a reviewer's view of assignments.
    response = api(me).get(path, {"page_size": 100, "mine": "false"})

    assert response.status_code == 200
    assert not {row["id"] for row in response.json()["results"]} & foreign
