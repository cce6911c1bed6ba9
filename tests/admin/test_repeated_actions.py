"""The same desk action sent twice (a second tab, a resubmitted form) says the claim is already where the action
leaves it, as information, and records nothing more; a refusal names statuses as editors read them."""

import pytest

from claims import duplicates
from claims.models import ClaimEvent, ClaimStatus
from tests.admin.desk import CLAIMS, action, messages_of

pytestmark = pytest.mark.django_db


def test_a_second_rejection_says_already_rejected(as_editor, make_claim):
    claim = make_claim()
    data = {"ids": claim.pk, "reason": "An opinion."}

    as_editor.post(action("reject"), data, follow=True)
    again = as_editor.post(action("reject"), data, follow=True)

    ((level, text),) = messages_of(again)
    assert level == "info"
    assert text == f'<a href="{CLAIMS}{claim.pk}/change/">Claim «{claim.text}»</a> is already rejected.'
    assert claim.events.filter(to_status=ClaimStatus.REJECTED).count() == 1


def test_a_second_retraction_says_already_retracted(as_editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)
    data = {"ids": claim.pk, "reason": "The video was edited."}

    as_editor.post(action("retract"), data, follow=True)
    again = as_editor.post(action("retract"), data, follow=True)

    ((level, text),) = messages_of(again)
    assert level == "info" and text.endswith("</a> is already retracted.")


def test_a_bulk_action_counts_the_claims_already_done_apart_from_refusals(as_editor, make_claim, desk):
    done, rejected, assigned = make_claim("First claim"), make_claim("Second claim"), make_claim("Third claim")
    as_editor.post(action("reject"), {"ids": rejected.pk, "reason": "An opinion."}, follow=True)
    desk.queue(assigned)

    data = {"ids": [done.pk, rejected.pk, assigned.pk], "reason": "Opinions.", "back": "list"}
    answer = as_editor.post(action("reject"), data, follow=True)

    found = messages_of(answer)
    assert [level for level, _ in found] == ["success", "info", "error", "warning"]
    assert found[1][1].endswith("is already rejected.")
    assert found[2][1].endswith("A claim that is assigned cannot become rejected.")
    assert found[3][1] == "1 done, 1 already done, 1 refused."


def test_a_refusal_names_statuses_by_their_labels(as_editor, make_claim, desk):
    claim = make_claim()
    desk.in_review(claim)

    answer = as_editor.post(action("reject"), {"ids": claim.pk, "reason": "An opinion."})

    assert answer.status_code == 409
    form = answer.context["form"]
    assert form.non_field_errors() == ["A claim that is in review cannot become rejected."]
    # The page shows the refusal with the status's label, not its code.
    assert "A claim that is in review cannot become rejected." in answer.content.decode()
    assert not any("in_review" in error for error in form.non_field_errors())
    assert form["reason"].value() == "An opinion."
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
    assert not claim.events.filter(to_status=ClaimStatus.REJECTED).exists()


def test_marking_the_same_duplicate_twice_says_so_and_records_nothing_more(as_editor, make_claim):
    canonical, repeat = make_claim("The talks lasted more than five hours"), make_claim("Talks ran over five hours")
    data = {"ids": repeat.pk, "canonical": canonical.pk, "note": ""}

    first = as_editor.post(action("duplicate"), data, follow=True)
    again = as_editor.post(action("duplicate"), data, follow=True)

    assert messages_of(first)[0][0] == "success"
    ((level, text),) = messages_of(again)
    assert level == "info" and text.endswith(f"</a> is already a duplicate of #{canonical.pk}.")
    edits = repeat.events.filter(kind=ClaimEvent.Kind.EDIT)
    assert [event.changes for event in edits] == [{"duplicate_of": [None, canonical.pk]}]
    assert repeat.events.filter(to_status=ClaimStatus.REJECTED, kind=ClaimEvent.Kind.TRANSITION).count() == 1


def test_the_service_marks_the_same_duplicate_once(editor, make_claim):
    canonical, repeat = make_claim("The talks lasted more than five hours"), make_claim("Talks ran over five hours")
    later = make_claim("Talks went on for over five hours")
    duplicates.mark_duplicate(claim_id=later.pk, canonical_id=canonical.pk, editor=editor)

    first = duplicates.mark_duplicate(claim_id=repeat.pk, canonical_id=canonical.pk, editor=editor)
    again = duplicates.mark_duplicate(claim_id=repeat.pk, canonical_id=canonical.pk, editor=editor)
    # A duplicate of a duplicate is the first claim's duplicate: naming it so is the same mark.
    through = duplicates.mark_duplicate(claim_id=repeat.pk, canonical_id=later.pk, editor=editor)

    assert (first.already_marked, again.already_marked, through.already_marked) == (False, True, True)
    assert repeat.events.filter(kind=ClaimEvent.Kind.EDIT).count() == 1


@pytest.mark.parametrize("given", ["99999", "abc"])
def test_an_action_page_for_a_claim_number_that_names_none_says_so(as_editor, given):
    answer = as_editor.get(action("approve"), {"ids": given}, follow=True)

    assert messages_of(answer) == [("warning", f"No claim #{given}: its number is wrong, or it is gone.")]


def test_an_action_page_without_a_claim_asks_for_one(as_editor):
    answer = as_editor.get(action("approve"), follow=True)

    assert messages_of(answer) == [("warning", "Select at least one claim.")]
