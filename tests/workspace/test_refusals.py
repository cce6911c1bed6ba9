"""What the workspaces say when a step is refused: a source link readers could not open, a transition the claim's
status forbids (in the status's words, not its code), and an offer answered twice, which is no conflict at all."""

import pytest
from django.urls import reverse

from claims import services as claim_services
from claims.models import ClaimEvent, ClaimStatus
from reviews.models import AssignmentState, Review
from reviews.services import assignments as desk_services

QUEUE = reverse("workspace:queue")
CYRILLIC_IDN = "https://пример.рф/статья"


def form_url(claim) -> str:
    return reverse("workspace:review-form", kwargs={"claim_id": claim.pk})


def claim_url(claim) -> str:
    return reverse("workspace:review-claim", kwargs={"claim_id": claim.pk})


def accept_url(assignment) -> str:
    return reverse("workspace:accept-offer", kwargs={"assignment_id": assignment.pk})


def decline_url(assignment) -> str:
    return reverse("workspace:decline-offer", kwargs={"assignment_id": assignment.pk})


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in response.context["messages"]]


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def offered(make_claim, editor, reviewer):
    claim = make_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
    return desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=reviewer.pk)


def adding(url: str) -> dict:
    fields = {"rating": "false", "summary": "S.", "explanation": "E.", "add_source": "1"}
    return fields | {"source-url": url, "source-title": "Source", "source-publisher": "", "source-archive_url": ""}


# Source links


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://localhost/", "http://10.0.0.5/", "http://[::1]/"])
def test_it_refuses_a_source_link_to_a_private_host_on_the_form(rita, make_claim, desk, url):
    claim = make_claim()
    desk.in_review(claim)

    response = rita.post(form_url(claim), adding(url))

    assert response.status_code == 200
    assert "readers could not open it. Cite a public address." in response.context["source_form"].errors["url"][0]
    assert not Review.objects.get(claim=claim).sources.exists()


def test_it_adds_a_source_link_with_a_cyrillic_domain(rita, make_claim, desk):
    claim = make_claim()
    desk.in_review(claim)

    added = rita.post(form_url(claim), adding(CYRILLIC_IDN), follow=True)

    assert ("success", "Source added.") in messages_of(added)
    assert [s.url for s in Review.objects.get(claim=claim).sources.all()] == [CYRILLIC_IDN]


# Refused transitions in words


def test_the_journalist_reads_the_status_label_when_an_edit_is_refused(client, journalist, api, make_claim, desk):
    claim = make_claim()
    desk.in_review(claim)
    client.force_login(journalist)

    page = client.post(reverse("workspace:edit-claim", kwargs={"claim_id": claim.pk}), {"text": "Something else"})
    answer = api(journalist).patch(f"/api/v1/claims/{claim.pk}/", {"text": "Something else"}, format="json")

    assert page.status_code == 409
    assert "A claim that is in review can no longer be edited." in page.content.decode()
    assert "in_review" not in page.content.decode()
    # Programs keep the stored code the API answers everywhere else.
    assert answer.status_code == 409
    assert answer.json() == {"detail": "A claim that is in_review can no longer be edited."}


def test_a_source_added_after_the_review_went_in_is_shown_back_with_the_status_label(rita, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)

    again = rita.post(form_url(claim), adding("https://late.example.org/"))

    assert again.status_code == 409
    page = again.content.decode()
    assert "A claim that is awaiting approval cannot be edited by its reviewer." in page
    assert "https://late.example.org/" in page  # typed in a tab left open: shown back to copy, not dropped
    assert Review.objects.get(claim=claim).sources.count() == 1


def test_text_edited_in_a_tab_left_open_after_submitting_is_shown_back(rita, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)
    edited = {
        "rating": "false",
        "summary": "会谈持续了四个小时",
        "explanation": "日程表显示十点到两点",
        "save": "1",
    }

    again = rita.post(form_url(claim), edited)

    assert again.status_code == 409
    page = again.content.decode()
    assert "会谈持续了四个小时" in page and "日程表显示十点到两点" in page
    assert Review.objects.get(claim=claim).summary == "It was four hours."


# An offer answered twice (a second Accept: tests/workspace/test_reviewer.py)


def test_a_second_decline_is_no_conflict_either(rita, offered):
    rita.post(decline_url(offered), {"reason": ""})

    again = rita.post(decline_url(offered), {"reason": ""}, follow=True)

    assert again.redirect_chain[-1][0] == QUEUE
    assert ("info", "You have already declined this claim; it goes to another reviewer.") in messages_of(again)
    assert not [m for level, m in messages_of(again) if level in ("warning", "error")]
    assert ClaimEvent.objects.filter(claim=offered.claim, to_status=ClaimStatus.QUEUED).count() == 2  # triage, decline


@pytest.mark.parametrize(
    ("first", "then", "state", "warning"),
    [
        (accept_url, decline_url, AssignmentState.ACCEPTED, "An assignment that is accepted cannot be declined."),
        (decline_url, accept_url, AssignmentState.DECLINED, "An assignment that is declined cannot be accepted."),
    ],
)
def test_a_conflicting_second_answer_still_gets_the_conflict_message(rita, offered, first, then, state, warning):
    rita.post(first(offered), {"reason": ""})

    again = rita.post(then(offered), {"reason": ""}, follow=True)

    assert again.redirect_chain[-1][0] == QUEUE
    assert ("warning", warning) in messages_of(again)
    offered.refresh_from_db()
    assert offered.state == state


def test_an_accept_after_an_editor_took_the_claim_back_is_still_refused(rita, offered, editor, other_reviewer):
    desk_services.assign_by_hand(claim_id=offered.claim_id, editor=editor, reviewer_id=other_reviewer.pk)

    again = rita.post(accept_url(offered), follow=True)

    assert again.redirect_chain[-1][0] == QUEUE
    assert ("warning", "An assignment that is released cannot be accepted.") in messages_of(again)
