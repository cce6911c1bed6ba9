"""Edits of a claim's wording leave an audit row with each changed field's old and new value, shown in its history."""

from datetime import date

from claims import services as claim_services
from claims.models import ClaimEvent, ClaimStatus, Topic


def edits_of(claim) -> list[ClaimEvent]:
    return list(ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.EDIT))


def test_it_audits_a_text_edit_with_the_old_and_new_wording(journalist, make_claim):
    claim = make_claim(text="The talks lasted five hours")

    claim_services.edit_claim(claim_id=claim.pk, user=journalist, text="The talks lasted more than five hours")

    [edit] = edits_of(claim)
    assert edit.actor == journalist
    assert edit.changes == {"text": ["The talks lasted five hours", "The talks lasted more than five hours"]}
    assert (edit.from_status, edit.to_status) == (ClaimStatus.SUBMITTED, ClaimStatus.SUBMITTED)


def test_it_audits_every_changed_field_of_one_edit_in_one_row(editor, make_claim):
    claim = make_claim(claimant="Minister Jane Roe")
    Topic.objects.create(slug="diplomacy", name="Diplomacy")

    claim_services.edit_claim(
        claim_id=claim.pk,
        user=editor,
        claimant="Finance officials",
        claim_date=date(2026, 3, 14),
        topics=["diplomacy"],
        language="en",  # unchanged: not listed
    )

    [edit] = edits_of(claim)
    assert edit.actor == editor
    assert edit.changes == {
        "claimant": ["Minister Jane Roe", "Finance officials"],
        "claim_date": [None, "2026-03-14"],
        "topics": [[], ["diplomacy"]],
    }


def test_it_records_nothing_for_an_edit_that_changes_nothing(journalist, make_claim):
    claim = make_claim(text="The talks lasted more than five hours")

    claim_services.edit_claim(claim_id=claim.pk, user=journalist, text="  The talks lasted more than five hours ")

    assert edits_of(claim) == []


def test_it_shows_an_edit_in_the_history_as_an_entry_that_keeps_the_status(api, journalist, make_claim):
    claim = make_claim(text="The talks lasted five hours")

    response = api(journalist).patch(
        f"/api/v1/claims/{claim.pk}/", {"text": "The talks lasted six hours"}, format="json"
    )

    assert response.status_code == 200, response.content
    history = api(journalist).get(f"/api/v1/claims/{claim.pk}/history/").json()
    assert [(h["from"], h["to"], h["actor"]) for h in history] == [
        ("", "submitted", "jane"),
        ("submitted", "submitted", "jane"),
    ]
    assert history[1]["note"] == 'Edited text: "The talks lasted five hours" → "The talks lasted six hours"'
    assert response.json()["history"] == history


def test_it_keeps_edit_rows_out_of_the_status_changes(editor, make_claim):
    claim = make_claim(text="The talks lasted five hours")
    claim_services.edit_claim(claim_id=claim.pk, user=editor, text="The talks lasted six hours")
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")

    transitions = ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.TRANSITION)

    assert [(e.from_status, e.to_status) for e in transitions] == [
        ("", ClaimStatus.SUBMITTED),
        (ClaimStatus.SUBMITTED, ClaimStatus.QUEUED),
    ]
