"""Mass assignment: each writable serializer, sent fields it does not declare (status, submitted_by, reviewer,
published_at, id…). Refused with 400 (the strict input serializers) or ignored — either way nothing of it is set."""

import pytest
from django.utils import timezone

from claims.models import Claim, Claimant, Report, Topic
from factcheck.models import FactCheck
from reviews.models import Assignment, Review, ReviewerProfile, Source

FOREIGN_ID = 987_654


def accepted_or_refused(response, ok: int) -> bool:
    assert response.status_code in (ok, 400), response.content
    return response.status_code == ok


def test_it_sets_no_submitter_or_id_on_a_new_report(api, journalist, other_journalist):
    response = api(journalist).post(
        "/api/v1/reports/",
        {
            "headline": "Summit ends",
            "language": "en",
            "body": "It cost 40 million.",
            "id": FOREIGN_ID,
            "submitted_by": other_journalist.pk,
            "created_at": "2001-01-01T00:00:00Z",
        },
        format="json",
    )

    if accepted_or_refused(response, 201):
        report = Report.objects.get()
        assert (report.submitted_by, report.created_at.year) == (journalist, timezone.now().year)
    assert not Report.objects.filter(pk=FOREIGN_ID).exists()
    assert not Report.objects.filter(submitted_by=other_journalist).exists()


def test_it_sets_no_status_priority_or_submitter_on_a_new_claim(api, journalist, other_journalist):
    response = api(journalist).post(
        "/api/v1/claims/",
        {
            "text": "Trade rose by 12%",
            "language": "en",
            "id": FOREIGN_ID,
            "status": "published",
            "priority": "high",
            "submitted_by": other_journalist.pk,
            "checkworthiness": 1.0,
            "origin": "reader_tip",
        },
        format="json",
    )

    if accepted_or_refused(response, 201):
        claim = Claim.objects.get()
        assert (claim.status, claim.priority, claim.submitted_by, claim.checkworthiness, claim.origin) == (
            "submitted",
            "normal",
            journalist,
            None,
            "newsroom",
        )
    assert not Claim.objects.exclude(status="submitted").exists()
    assert not Claim.objects.filter(pk=FOREIGN_ID).exists()


def test_it_sets_nothing_but_the_editable_fields_when_a_claim_is_edited(api, world, journalist, other_journalist):
    claim = world.janes_submitted

    response = api(journalist).patch(
        f"/api/v1/claims/{claim.pk}/",
        {
            "text": "Edited",
            "status": "queued",
            "priority": "high",
            "submitted_by": other_journalist.pk,
            "report": world.jims_report.pk,
            "id": FOREIGN_ID,
        },
        format="json",
    )

    accepted_or_refused(response, 200)
    claim.refresh_from_db()
    assert (claim.status, claim.priority, claim.submitted_by, claim.report) == (
        "submitted",
        "normal",
        journalist,
        world.janes_report,
    )


def test_it_takes_only_decision_reason_and_priority_in_triage(api, world, editor, other_journalist):
    claim = world.janes_submitted

    response = api(editor).post(
        f"/api/v1/claims/{claim.pk}/triage/",
        {
            "decision": "accept",
            "status": "published",
            "submitted_by": other_journalist.pk,
            "text": "Changed",
        },
        format="json",
    )

    accepted_or_refused(response, 200)
    claim.refresh_from_db()
    assert claim.status in ("submitted", "queued")
    assert (claim.submitted_by, claim.text) == (world.janes_submitted.submitted_by, world.janes_submitted.text)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_it_sets_no_reviewer_or_submission_time_on_a_review(api, world, reviewer, other_reviewer, method):
    claim = world.ritas_claim
    body = {
        "summary": "Mine",
        "reviewer": other_reviewer.pk,
        "submitted_at": "2001-01-01T00:00:00Z",
        "claim": world.rolfs_claim.pk,
        "status": "awaiting_approval",
    }

    response = getattr(api(reviewer), method)(f"/api/v1/claims/{claim.pk}/review/", body, format="json")

    accepted_or_refused(response, 200)
    review = Review.objects.get(claim=claim)
    assert (review.reviewer, review.submitted_at) == (reviewer, None)
    assert Review.objects.get(claim=world.rolfs_claim).summary == "It rose by 3%."
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_it_adds_a_source_only_to_the_callers_review_with_todays_date(api, world, reviewer):
    rolfs_review = world.rolfs_sources[0].review

    response = api(reviewer).post(
        f"/api/v1/claims/{world.ritas_claim.pk}/review/sources/",
        {
            "url": "https://stats.example.org/",
            "title": "Stats",
            "review": rolfs_review.pk,
            "position": 0,
            "accessed_at": "2001-01-01",
            "id": FOREIGN_ID,
        },
        format="json",
    )

    if accepted_or_refused(response, 201):
        added = Source.objects.get(title="Stats")
        assert (added.review.claim, added.accessed_at, added.position) == (world.ritas_claim, timezone.localdate(), 2)
    assert rolfs_review.sources.count() == 2
    assert not Source.objects.filter(pk=FOREIGN_ID).exists()


def test_it_reorders_sources_without_moving_them_between_reviews(api, world, reviewer):
    rolfs_review = world.rolfs_sources[0].review
    mine = [s.pk for s in world.ritas_sources]

    response = api(reviewer).post(
        f"/api/v1/claims/{world.ritas_claim.pk}/review/sources/order/",
        {"order": mine[::-1], "review": rolfs_review.pk},
        format="json",
    )

    accepted_or_refused(response, 200)
    moved = set(Source.objects.filter(pk__in=mine).values_list("review", flat=True))
    assert moved == {world.ritas_sources[0].review_id}
    assert rolfs_review.sources.count() == 2


def test_it_declines_an_offer_without_handing_it_to_someone_else(api, world, reviewer, other_reviewer, editor):
    offer = Assignment.objects.get(claim=world.ritas_claim)
    offer.state = "offered"  # an offer Rita has not answered yet, on a claim that is therefore `assigned`
    offer.save(update_fields=["state"])
    Claim.objects.filter(pk=world.ritas_claim.pk).update(status="assigned")

    response = api(reviewer).post(
        f"/api/v1/assignments/{offer.pk}/decline/",
        {
            "reason": "Busy",
            "state": "accepted",
            "reviewer": other_reviewer.pk,
            "due_at": "2099-01-01T00:00:00Z",
        },
        format="json",
    )

    accepted_or_refused(response, 200)
    offer.refresh_from_db()
    assert offer.reviewer == reviewer
    assert offer.state in ("offered", "declined")
    assert offer.due_at.year < 2099


def test_it_assigns_by_hand_with_the_sla_due_date_not_the_one_sent(api, world, editor, other_reviewer):
    claim = world.ritas_claim

    response = api(editor).post(
        f"/api/v1/claims/{claim.pk}/assign/",
        {
            "reviewer": other_reviewer.reviewer_profile.pk,
            "state": "accepted",
            "due_at": "2099-01-01T00:00:00Z",
            "assigned_by": other_reviewer.pk,
        },
        format="json",
    )

    accepted_or_refused(response, 200)
    for assignment in Assignment.objects.filter(claim=claim):
        assert assignment.due_at.year < 2099
        assert assignment.assigned_by in (None, editor)
        assert assignment.state != "accepted" or assignment.reviewer_id != other_reviewer.pk


def test_it_publishes_with_its_own_slug_and_time_whatever_the_approval_says(api, world, other_editor, reviewer):
    claim = world.ritas_claim
    api(reviewer).post(f"/api/v1/claims/{claim.pk}/review/submit/")

    response = api(other_editor).post(
        f"/api/v1/claims/{claim.pk}/approve/",
        {
            "note": "Fine",
            "slug": "hijacked",
            "published_at": "2001-01-01T00:00:00Z",
            "reviewer": other_editor.pk,
        },
        format="json",
    )

    accepted_or_refused(response, 200)
    assert not FactCheck.objects.filter(slug="hijacked").exists()
    assert not FactCheck.objects.filter(published_at__year=2001).exists()


def test_it_returns_a_review_without_changing_who_wrote_it(api, world, reviewer, editor, other_reviewer):
    claim = world.ritas_claim
    api(reviewer).post(f"/api/v1/claims/{claim.pk}/review/submit/")

    response = api(editor).post(
        f"/api/v1/claims/{claim.pk}/return/",
        {
            "note": "Add a source",
            "reviewer": other_reviewer.pk,
            "status": "published",
        },
        format="json",
    )

    accepted_or_refused(response, 200)
    claim.refresh_from_db()
    assert claim.status in ("awaiting_approval", "in_review")
    assert Review.objects.get(claim=claim).reviewer == reviewer


def test_it_corrects_without_rewriting_the_publication_record(api, world, editor):
    fact_check = world.fact_check
    first_published = fact_check.published_at

    response = api(editor).post(
        f"/api/v1/claims/{world.published.pk}/corrections/",
        {
            "note": "Year fixed",
            "published_at": "2001-01-01T00:00:00Z",
            "slug": "hijacked",
            "number": 99,
            "retracted_at": "2001-01-01T00:00:00Z",
        },
        format="json",
    )

    accepted_or_refused(response, 201)
    fact_check.refresh_from_db()
    assert (fact_check.published_at, fact_check.slug, fact_check.retracted_at) == (
        first_published,
        world.fact_check.slug,
        None,
    )
    assert fact_check.current_version.number in (1, 2)


def test_it_retracts_with_its_own_time(api, world, editor):
    response = api(editor).post(
        f"/api/v1/claims/{world.published.pk}/retract/",
        {
            "reason": "Edited video",
            "retracted_at": "2001-01-01T00:00:00Z",
            "status": "published",
        },
        format="json",
    )

    accepted_or_refused(response, 200)
    fact_check = FactCheck.objects.get(pk=world.fact_check.pk)
    assert fact_check.retracted_at is None or fact_check.retracted_at.year == timezone.now().year


def test_it_lets_no_reviewer_set_their_own_capacity_or_owner(api, world, reviewer, other_reviewer):
    profile = reviewer.reviewer_profile

    response = api(reviewer).patch(
        f"/api/v1/reviewers/{profile.pk}/",
        {
            "away_until": None,
            "user": other_reviewer.pk,
            "load": 0,
            "id": FOREIGN_ID,
        },
        format="json",
    )

    accepted_or_refused(response, 200)
    profile.refresh_from_db()
    assert profile.user == reviewer
    assert not ReviewerProfile.objects.filter(pk=FOREIGN_ID).exists()
    # Fields of the serializer that this role may not write are refused, not silently taken.
    assert api(reviewer).patch(f"/api/v1/reviewers/{profile.pk}/", {"capacity": 99}, format="json").status_code == 403
    profile.refresh_from_db()
    assert profile.capacity == 3


def test_it_creates_a_topic_with_no_extra_fields(api, editor):
    response = api(editor).post(
        "/api/v1/topics/", {"slug": "health", "name": "Health", "id": FOREIGN_ID}, format="json"
    )

    if accepted_or_refused(response, 201):
        assert Topic.objects.get(slug="health").pk != FOREIGN_ID
    assert not Topic.objects.filter(pk=FOREIGN_ID).exists()


def test_it_keeps_a_claimants_slug_and_id_when_an_editor_renames_it(api, world, editor):
    claimant = world.claimant

    response = api(editor).patch(
        f"/api/v1/claimants/{claimant.pk}/",
        {
            "name": "Jane Roe",
            "slug": "hijacked",
            "id": FOREIGN_ID,
        },
        format="json",
    )

    accepted_or_refused(response, 200)
    refreshed = Claimant.objects.get(pk=claimant.pk)
    assert refreshed.slug == claimant.slug
    assert not Claimant.objects.filter(pk=FOREIGN_ID).exists()
