"""Editing a submitted claim on its desk page goes through the claims service, as the API's and the workspace's
edits do: the history records what changed, and the service's refusals keep the claim as it was."""

import pytest

from claims import services as claim_services
from claims.models import Claim, ClaimEvent
from core.errors import NotAllowed
from tests.admin.desk import CLAIMS

pytestmark = pytest.mark.django_db


def page_data(claim: Claim, **changes) -> dict:
    """What the claim's page posts: each field it edits, as it stands, with `changes`."""
    data = {
        "text": claim.text,
        "quote": claim.quote,
        "claimant": claim.claimant_id or "",
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else "",
        "language": claim.language,
        "topics": list(claim.topics.values_list("pk", flat=True)),
        "priority": claim.priority,
        "_save": "Save",
    }
    return {**data, **changes}


def test_an_edit_of_text_and_priority_is_recorded_in_the_history(as_editor, editor, make_claim):
    claim = make_claim()

    answer = as_editor.post(
        f"{CLAIMS}{claim.pk}/change/",
        page_data(claim, text="The talks lasted\r\nfive hours", priority="high"),
        follow=True,
    )

    assert answer.status_code == 200
    claim.refresh_from_db()
    assert (claim.text, claim.priority) == ("The talks lasted\nfive hours", "high")
    edit = claim.events.get(kind=ClaimEvent.Kind.EDIT)
    assert edit.actor == editor
    before, after = '"The talks lasted more than five hours"', '"The talks lasted\\nfive hours"'
    assert edit.note.startswith(f"Edited text: {before} → {after}")
    assert edit.changes["priority"] == ["normal", "high"]


def test_saving_the_page_unchanged_records_nothing(as_editor, make_claim):
    claim = make_claim()

    as_editor.post(f"{CLAIMS}{claim.pk}/change/", page_data(claim), follow=True)

    assert not claim.events.filter(kind=ClaimEvent.Kind.EDIT).exists()


def test_a_text_that_shows_nothing_is_refused_in_the_services_words(as_editor, make_claim):
    claim = make_claim()

    typed = page_data(claim, text="\u200b \u200b", claim_date="2026-03-14")

    answer = as_editor.post(f"{CLAIMS}{claim.pk}/change/", typed)

    claim.refresh_from_db()
    assert claim.text == "The talks lasted more than five hours"
    assert not claim.events.filter(kind=ClaimEvent.Kind.EDIT).exists()
    # The page comes back with the refusal and what was typed on it, not a redirect to the row as stored.
    assert answer.status_code == 400
    form = answer.context["adminform"].form
    assert form.non_field_errors() == ["Write the claim: this text shows nothing. Your text is kept below."]
    assert form["claim_date"].value() == "2026-03-14"


def test_a_claim_triaged_since_the_page_opened_keeps_its_words(as_editor, make_claim):
    claim = make_claim()
    data = page_data(claim, text="Changed after triage")
    Claim.objects.filter(pk=claim.pk).update(status="rejected")

    as_editor.post(f"{CLAIMS}{claim.pk}/change/", data, follow=True)

    claim.refresh_from_db()
    assert claim.text == "The talks lasted more than five hours"
    assert not claim.events.filter(kind=ClaimEvent.Kind.EDIT).exists()


def test_only_an_editor_sets_a_claims_priority(journalist, make_claim):
    claim = make_claim()

    with pytest.raises(NotAllowed):
        claim_services.edit_claim(claim_id=claim.pk, user=journalist, priority="high")

    assert Claim.objects.get(pk=claim.pk).priority == "normal"
