"""A desk action on one claim that the service refuses comes back as the same form, with what the editor typed, the
refusal's words and a 4xx status, and changes nothing; a page the claim's status cannot take says so on opening,
before anything is typed."""

import pytest

from claims import services as claim_services
from claims.models import Claim, ClaimStatus
from core.roles import Role
from factcheck.record.models import FactCheck
from reviews.services import assignments as desk_services
from reviews.services import verdicts
from reviews.services.members import add_member
from tests.admin.desk import CLAIMS, action, messages_of

pytestmark = pytest.mark.django_db

LONG_NOTE = "We checked the schedule again with the ministry's press office and the hours stand as published. " * 5


def form_of(answer):
    return answer.context["form"]


def test_a_correction_that_changes_nothing_comes_back_with_its_note(as_editor, make_claim, desk):
    claim = make_claim()
    fact_check = desk.published(claim)
    same = {
        "ids": claim.pk,
        "note": LONG_NOTE,
        "summary": "It was four hours.",
        "explanation": "The official schedule shows the talks ran from 10:00 to 14:00.",
        "sources": "https://gov.example.org/schedule | Official schedule",
        "based_on": 1,
    }

    answer = as_editor.post(action("correct"), same)

    assert answer.status_code == 400
    assert form_of(answer)["note"].value() == LONG_NOTE
    assert "This correction changes nothing version 1 shows" in form_of(answer).non_field_errors()[0]
    fact_check.refresh_from_db()
    assert fact_check.current_version.number == 1


def test_a_return_after_another_editor_approved_keeps_the_comments(as_editor, other_editor, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)
    as_editor.get(action("return"), {"ids": claim.pk})  # opened while the claim awaits approval
    verdicts.approve_claim(claim_id=claim.pk, editor=other_editor)
    comments = "Cite the agenda, please; and the second paragraph needs the minister's own words. " * 4

    answer = as_editor.post(action("return"), {"ids": claim.pk, "note": comments})

    assert answer.status_code == 409
    assert form_of(answer)["note"].value() == comments
    assert form_of(answer).non_field_errors() == ["A claim that is published cannot become in review."]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PUBLISHED
    assert not claim.events.filter(to_status=ClaimStatus.IN_REVIEW, actor__username="eddie").exists()


def test_a_mistyped_canonical_id_keeps_the_note_beside_the_refusal(as_editor, make_claim):
    claim = make_claim()
    note = "Same quote as last week's claim about the Geneva talks."

    answer = as_editor.post(action("duplicate"), {"ids": claim.pk, "canonical": 99999, "note": note})

    assert answer.status_code == 400
    form = form_of(answer)
    assert form["note"].value() == note and form["canonical"].value() == "99999"
    assert form.errors["canonical"] == ["No such claim."]
    claim.refresh_from_db()
    assert (claim.status, claim.duplicate_of_id) == (ClaimStatus.SUBMITTED, None)


def test_comments_that_show_nothing_come_back_refused_beside_the_field(as_editor, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)

    answer = as_editor.post(action("return"), {"ids": claim.pk, "note": "\u200b\u200b"})

    assert answer.status_code == 400
    assert form_of(answer).errors["note"] == ["Say what the reviewer should change."]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.AWAITING_APPROVAL


def test_an_editor_approving_their_own_review_keeps_the_note(client, editor, make_claim):
    both = add_member(username="sam", role=Role.EDITOR, password="x")
    both = add_member(username="sam", role=Role.REVIEWER, languages=["en"])
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.QUEUED)
    offer = desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=both.pk)
    desk_services.accept_assignment(assignment_id=offer.pk, reviewer=both)
    verdicts.save_review(
        claim_id=claim.pk,
        reviewer=both,
        rating="false",
        summary="Four hours.",
        explanation="The schedule says so.",
        sources=[verdicts.SourceInput(url="https://gov.example.org/schedule", title="Schedule")],
    )
    verdicts.submit_review(claim_id=claim.pk, reviewer=both)
    client.force_login(both)

    answer = client.post(action("approve"), {"ids": claim.pk, "note": "Thanks for sending it in."})

    assert answer.status_code == 403
    assert form_of(answer)["note"].value() == "Thanks for sending it in."
    assert form_of(answer).non_field_errors() == ["The reviewer of a claim may not approve it."]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.AWAITING_APPROVAL
    assert not FactCheck.objects.exists()


def test_opening_return_on_a_published_claim_says_so_before_anything_is_typed(as_editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)

    answer = as_editor.get(action("return"), {"ids": claim.pk}, follow=True)

    assert answer.redirect_chain == [(f"{CLAIMS}{claim.pk}/change/", 302)]
    ((level, text),) = messages_of(answer)
    assert level == "error"
    assert text.endswith("“Return with comments” is for a claim that is awaiting approval; this one is published.")


def test_opening_correct_on_a_retracted_claim_says_so_before_anything_is_typed(as_editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)
    as_editor.post(action("retract"), {"ids": claim.pk, "reason": "The video was edited."}, follow=True)

    answer = as_editor.get(action("correct"), {"ids": claim.pk}, follow=True)

    ((level, text),) = messages_of(answer)
    assert level == "error" and text.endswith("“Correct” is for a claim that is published; this one is retracted.")
    assert 'name="note"' not in answer.content.decode()


def test_a_rejection_another_editor_made_first_is_named_and_this_editors_reason_kept(
    as_editor, other_editor, make_claim
):
    claim = make_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=other_editor, decision="reject", reason="Not checkable.")

    answer = as_editor.post(action("reject"), {"ids": claim.pk, "reason": "Opinion, not a claim of fact."})

    assert answer.status_code == 409
    assert form_of(answer)["reason"].value() == "Opinion, not a claim of fact."
    (refusal,) = form_of(answer).non_field_errors()
    first = f"{other_editor.get_username()} rejected this claim first with the note “Not checkable.”"
    assert refusal == f"{first}; nothing was changed."
    assert Claim.objects.get(pk=claim.pk).events.filter(to_status=ClaimStatus.REJECTED).count() == 1


def test_ones_own_rejection_sent_again_is_already_done(as_editor, make_claim):
    claim = make_claim()
    sent = {"ids": claim.pk, "reason": "Opinion, not a claim of fact."}
    as_editor.post(action("reject"), sent, follow=True)

    again = as_editor.post(action("reject"), sent, follow=True)

    assert [level for level, _ in messages_of(again)] == ["info"]
    assert "is already rejected" in messages_of(again)[0][1]
