"""The reviewer's workspace through Django's test client: the queue, the claim with its report, the review form with
its sources and preview; what a reviewer may not open, and reviewers outside the admin."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from django.utils import timezone

from claims import services as claim_services
from claims.models import ClaimEvent, ClaimStatus
from core.roles import Role
from reviews.models import AssignmentState, Review
from reviews.services import assignments as desk_services
from reviews.services import verdicts
from reviews.services.members import add_member

QUEUE = reverse("workspace:queue")
CYRILLIC_SUMMARY = "Переговоры длились четыре часа, а не пять."  # noqa: RUF001 (Cyrillic on purpose)
CHINESE_TITLE = "官方日程表"
RETURN_NOTE = "Add the ministry's own schedule as a second source."


def claim_url(claim) -> str:
    return reverse("workspace:review-claim", kwargs={"claim_id": claim.pk})


def form_url(claim) -> str:
    return reverse("workspace:review-form", kwargs={"claim_id": claim.pk})


def accept_url(assignment) -> str:
    return reverse("workspace:accept-offer", kwargs={"assignment_id": assignment.pk})


def decline_url(assignment) -> str:
    return reverse("workspace:decline-offer", kwargs={"assignment_id": assignment.pk})


@pytest.fixture
def offer(editor):
    """Queue a claim and have the editor offer it to the given reviewer (routing is not run)."""

    def offered(claim, reviewer, priority=None):
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept", priority=priority)
        return desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=reviewer.pk)

    return offered


@pytest.fixture
def accepted(offer, reviewer):
    def accept(claim):
        assignment = offer(claim, reviewer)
        return desk_services.accept_assignment(assignment_id=assignment.pk, reviewer=reviewer)

    return accept


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client


def review_fields(**overrides) -> dict:
    fields = {
        "rating": "false",
        "summary": "It was four hours.",
        "explanation": "The official schedule shows the talks ran from **10:00 to 14:00**.",
        "source-url": "",
        "source-title": "",
        "source-publisher": "",
        "source-archive_url": "",
    }
    return fields | overrides


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in response.context["messages"]]


# The queue


def test_it_shows_a_reviewer_only_their_own_work_soonest_due_first_with_overdue_marked(
    rita, make_claim, reviewer, other_reviewer, offer, time_machine
):
    offer(make_claim("Rita's low priority claim"), reviewer, priority="low")
    offer(make_claim("Rita's high priority claim"), reviewer, priority="high")
    offer(make_claim("Rolf's claim"), other_reviewer)
    # Past the high priority verdict's due time (8 hours), well before the low one's (72 hours).
    time_machine.move_to(timezone.now() + timedelta(hours=9), tick=False)

    page = rita.get(QUEUE).content.decode()

    assert "Rolf&#x27;s claim" not in page
    high, low = page.index("Rita&#x27;s high priority claim"), page.index("Rita&#x27;s low priority claim")
    assert high < low
    assert page.count('class="overdue"') == 1
    assert high < page.index('class="overdue"') < low
    assert "Offered to you" in page and "Accept by" in page
    assert "High" in page and "English" in page


def test_it_accepts_an_offer_through_the_service_and_audits_it(rita, make_claim, reviewer, offer):
    assignment = offer(make_claim(), reviewer)

    response = rita.post(accept_url(assignment), follow=True)

    assert response.redirect_chain[-1][0] == claim_url(assignment.claim)
    assert ("success", "You accepted the claim. It is yours to review.") in messages_of(response)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED
    event = ClaimEvent.objects.filter(claim=assignment.claim).last()
    assert (event.from_status, event.to_status, event.actor) == ("assigned", "in_review", reviewer)


def test_it_declines_an_offer_with_a_reason_through_the_service(rita, make_claim, reviewer, offer):
    assignment = offer(make_claim(), reviewer)

    response = rita.post(decline_url(assignment), {"reason": "I wrote about this summit myself."}, follow=True)

    assert response.redirect_chain[-1][0] == QUEUE
    assignment.refresh_from_db()
    assert (assignment.state, assignment.reason) == (AssignmentState.DECLINED, "I wrote about this summit myself.")
    event = ClaimEvent.objects.filter(claim=assignment.claim).last()
    assert (event.to_status, event.actor, event.note) == ("queued", reviewer, "I wrote about this summit myself.")
    assert ("success", "You declined the claim; it goes to another reviewer.") in messages_of(response)
    assert "Nothing in your queue right now." in response.content.decode()


def test_it_answers_the_same_accept_posted_twice_like_the_first(rita, make_claim, reviewer, offer):
    assignment = offer(make_claim(), reviewer)
    first = rita.post(accept_url(assignment))

    again = rita.post(accept_url(assignment), follow=True)

    assert again.status_code == 200
    assert again.redirect_chain[0] == (first["Location"], 302)
    assert again.redirect_chain[-1][0] == claim_url(assignment.claim)
    assert ("info", "You have already accepted this claim. It is yours to review.") in messages_of(again)
    assert {level for level, _ in messages_of(again)} <= {"success", "info"}  # the first click's, unread, and this
    assert ClaimEvent.objects.filter(claim=assignment.claim, to_status="in_review").count() == 1


# The claim page


def test_it_shows_the_claim_with_its_quote_marked_and_never_the_readers_address(rita, make_claim, reviewer, accepted):
    claim = make_claim(claim_date="2026-03-01", topics=[])
    claim.tip_email = "reader@example.org"
    claim.save(update_fields=["tip_email"])
    accepted(claim)

    pages = [rita.get(url).content.decode() for url in (claim_url(claim), form_url(claim), QUEUE)]

    page = pages[0]
    assert '<mark class="quote">The talks lasted more than five hours</mark>, the minister said.' in page
    assert 'href="https://news.example.org/geneva-talks"' in page
    assert "Minister Jane Roe" in page and "1 Mar 2026" in page and "English" in page
    assert all("reader@example.org" not in each for each in pages)


def test_it_does_not_offer_editors_actions_to_a_reviewer(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)

    pages = rita.get(claim_url(claim)).content.decode() + rita.get(form_url(claim)).content.decode()

    for action in ("Approve", "Triage", "Assign", "Return"):
        assert f">{action}" not in pages


# The review form


def test_it_saves_a_draft_adds_reorders_and_removes_sources_then_submits(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)
    url = form_url(claim)

    saved = rita.post(url, review_fields(summary=CYRILLIC_SUMMARY, save="1"), follow=True)
    assert ("success", "Draft saved.") in messages_of(saved)
    first = review_fields(
        summary=CYRILLIC_SUMMARY,
        add_source="1",
        **{"source-url": "https://gov.example.org/schedule", "source-title": CHINESE_TITLE},
    )
    rita.post(url, first)
    second = review_fields(
        summary=CYRILLIC_SUMMARY,
        add_source="1",
        **{"source-url": "https://archive.example.org/talks", "source-title": "Press pool notes"},
    )
    rita.post(url, second)
    review = Review.objects.get(claim=claim)
    assert [s.title for s in review.sources.all()] == [CHINESE_TITLE, "Press pool notes"]
    schedule = review.sources.get(title=CHINESE_TITLE)

    moved = rita.post(url, review_fields(summary=CYRILLIC_SUMMARY, move_down=str(schedule.pk)), follow=True)
    assert [s.title for s in review.sources.all()] == ["Press pool notes", CHINESE_TITLE]
    page = moved.content.decode()
    assert CYRILLIC_SUMMARY in page and page.index("Press pool notes") < page.index(CHINESE_TITLE)
    notes = review.sources.get(title="Press pool notes")
    rita.post(url, review_fields(summary=CYRILLIC_SUMMARY, remove=str(notes.pk)))
    assert [s.title for s in review.sources.all()] == [CHINESE_TITLE]

    submitted = rita.post(url, review_fields(summary=CYRILLIC_SUMMARY, submit="1"), follow=True)

    assert submitted.redirect_chain[-1][0] == claim_url(claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_APPROVAL
    review.refresh_from_db()
    assert (review.rating.slug, review.summary) == ("false", CYRILLIC_SUMMARY)
    assert CYRILLIC_SUMMARY in submitted.content.decode() and CHINESE_TITLE in submitted.content.decode()


def test_it_refuses_to_submit_a_review_with_missing_parts_and_says_what_is_missing(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)

    response = rita.post(form_url(claim), review_fields(rating="", summary="", explanation="", submit="1"))

    assert response.status_code == 200
    page = response.content.decode()
    for message in ("Choose a rating.", "Write a summary.", "Write the explanation.", "Attach at least one source."):
        assert message in page
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_it_refuses_a_source_without_an_http_link_with_the_services_message(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)
    fields = review_fields(add_source="1", **{"source-url": "javascript:alert(1)", "source-title": "Trick"})

    response = rita.post(form_url(claim), fields)

    page = response.content.decode()
    assert page.count("&#x27;javascript:alert(1)&#x27; is not an http(s) URL.") == 2  # the summary and the field
    assert not Review.objects.get(claim=claim).sources.exists()


def test_it_refuses_a_summary_of_invisible_characters_as_missing(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)
    rita.post(
        form_url(claim), review_fields(add_source="1", **{"source-url": "https://x.example.org/a", "source-title": "A"})
    )

    response = rita.post(form_url(claim), review_fields(summary=" \u200b\u2060 ", explanation="\ufeff", submit="1"))

    page = response.content.decode()
    assert "Write a summary." in page and "Write the explanation." in page
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_it_finds_nothing_missing_in_a_source_the_reviewer_is_not_adding(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)

    previewed = rita.post(form_url(claim), review_fields(preview="1", **{"source-title": CHINESE_TITLE}))
    submitted = rita.post(form_url(claim), review_fields(rating="", submit="1"))

    for response in (previewed, submitted):
        assert "A source needs its" not in response.content.decode()
    assert CHINESE_TITLE in previewed.content.decode()  # what was typed stays in the field
    assert "Choose a rating." in submitted.content.decode()


def test_it_previews_the_explanation_as_sanitised_markdown_and_saves_nothing(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)
    explanation = "The schedule says **four hours**.\n\n<script>alert('x')</script>"

    response = rita.post(form_url(claim), review_fields(explanation=explanation, preview="1"))

    page = response.content.decode()
    assert "<strong>four hours</strong>" in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page  # shown as the text the reviewer typed
    assert not Review.objects.filter(claim=claim).exists()


def test_it_shows_the_editors_comments_on_a_returned_review_and_takes_it_again(
    rita, make_claim, desk, editor, reviewer
):
    claim = make_claim()
    desk.awaiting_approval(claim)
    verdicts.return_review(claim_id=claim.pk, editor=editor, note=RETURN_NOTE)

    page = rita.get(form_url(claim)).content.decode()
    assert "Returned with comments" in page
    assert "Add the ministry&#x27;s own schedule as a second source." in page.split('class="returned"')[1]
    assert RETURN_NOTE.replace("'", "&#x27;") in rita.get(claim_url(claim)).content.decode()

    fixed = review_fields(
        submit="1", **{"source-url": "https://gov.example.org/ministry-schedule", "source-title": "Ministry schedule"}
    )
    rita.post(form_url(claim), fixed)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_APPROVAL
    assert Review.objects.get(claim=claim).sources.count() == 2
    assert "Returned with comments" not in rita.get(claim_url(claim)).content.decode()


def test_it_warns_instead_of_failing_when_a_submitted_review_is_submitted_again(rita, make_claim, accepted):
    claim = make_claim()
    accepted(claim)
    rita.post(
        form_url(claim), review_fields(submit="1", **{"source-url": "https://a.example.org/", "source-title": "A"})
    )

    again = rita.post(form_url(claim), review_fields(submit="1"), follow=True)

    assert again.status_code == 200
    (level, message) = messages_of(again)[-1]
    assert (level, message) == ("warning", "A claim that is awaiting approval cannot be edited by its reviewer.")


# Who may open what


def test_it_refuses_the_form_to_a_reviewer_who_has_not_accepted_with_the_services_message(
    rita, make_claim, reviewer, offer
):
    claim = make_claim()
    offer(claim, reviewer)

    response = rita.post(form_url(claim), review_fields(save="1"))

    assert response.status_code == 403
    assert "Only the reviewer who accepted this claim may work on its review." in response.content.decode()
    assert 'class="errors" role="alert"' in response.content.decode()


def test_it_hides_another_reviewers_claim_and_offer_behind_a_styled_404(rita, make_claim, other_reviewer, offer):
    assignment = offer(make_claim("Rolf's claim"), other_reviewer)

    for response in (
        rita.get(claim_url(assignment.claim)),
        rita.get(form_url(assignment.claim)),
        rita.post(accept_url(assignment)),
    ):
        assert response.status_code == 404
        assert "There is nothing here, or it is not yours to see." in response.content.decode()
        assert "Rolf&#x27;s claim" not in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OFFERED


def test_it_keeps_editor_only_urls_from_a_reviewer(rita, api, reviewer, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)

    desk_index = rita.get("/admin/")
    approve = api(reviewer).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json")

    assert desk_index.status_code == 302 and desk_index["Location"].startswith("/admin/login/")
    assert approve.status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_APPROVAL


def test_it_gives_a_journalist_a_styled_403_on_reviewer_pages(client, journalist, make_claim, offer, reviewer):
    assignment = offer(make_claim(), reviewer)
    client.force_login(journalist)

    for response in (
        client.get(QUEUE),
        client.get(claim_url(assignment.claim)),
        client.get(form_url(assignment.claim)),
        client.post(accept_url(assignment)),
    ):
        assert response.status_code == 403
        assert "This page is for the reviewer role" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OFFERED


def test_it_sends_a_visitor_to_the_sign_in_page(client):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:sign-in"))


# Reviewers outside the admin


def test_it_makes_editors_staff_and_keeps_reviewers_out_of_the_admin(client, reviewer, editor):
    reviewer.refresh_from_db()
    editor.refresh_from_db()

    assert not reviewer.is_staff
    assert not Group.objects.get(name=Role.REVIEWER.group_name).permissions.exists()
    assert editor.is_staff and editor.has_perm("claims.change_claim")
    client.force_login(reviewer)
    assert client.get("/admin/").status_code == 302
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_the_data_migration_takes_reviewers_out_of_the_admin_and_leaves_editors(db):
    migration = importlib.import_module("reviews.migrations.0004_reviewers_work_in_the_workspace")
    reviewers = Group.objects.get(name="reviewers")
    reviewers.permissions.add(*Permission.objects.filter(codename__in=["view_assignment", "view_claim"]))
    reviewer_only = User.objects.create(username="old-rita", is_staff=True)
    reviewer_only.groups.add(reviewers)
    both = add_member(username="ed-and-rev", role=Role.EDITOR)
    both.groups.add(reviewers)
    chief = User.objects.create(username="chief", is_staff=True, is_superuser=True)
    chief.groups.add(reviewers)

    migration.reviewers_leave_the_admin(django_apps, None)

    staff = dict(User.objects.values_list("username", "is_staff"))
    assert staff == {"old-rita": False, "ed-and-rev": True, "chief": True}
    assert not reviewers.permissions.exists()
    assert Group.objects.get(name="editors").permissions.exists()
