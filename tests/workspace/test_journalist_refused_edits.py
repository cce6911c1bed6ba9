"""A journalist's edit the claim no longer takes keeps what they typed: an editor who triages the claim while its
form is open gets a 409 page with the refusal, what the triage means for them and the typed text; a refusal of the
text itself (it shows nothing, the quote is not in the report) gives the form back as typed."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimEvent
from reviews.workspace import journalist as journalist_views

HINDI_TEXT = "पत्रकार का संपादित पाठ"
HINDI_CLAIMANT = "वित्त मंत्रालय"
STORED_TEXT = "The talks lasted more than five hours"


@pytest.fixture
def jane(client, journalist):
    client.force_login(journalist)
    return client


def edit_url(claim) -> str:
    return reverse("workspace:edit-claim", kwargs={"claim_id": claim.pk})


def typed(**overrides) -> dict:
    fields = {
        "quote": "The talks lasted more than five hours",
        "text": HINDI_TEXT,
        "claimant": HINDI_CLAIMANT,
        "claimant_kind": "Organization",
        "claim_date": "2026-03-14",
        "language": "hi",
    }
    return fields | overrides


def assert_unchanged(claim: Claim) -> None:
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.text, stored.claimant.name) == (STORED_TEXT, "Minister Jane Roe")
    assert not stored.events.filter(kind=ClaimEvent.Kind.EDIT).exists()


@pytest.mark.parametrize(
    ("decision", "refused", "meaning"),
    [
        ("accept", "A claim that is queued can no longer be edited.", "An editor accepted this claim after you"),
        ("reject", "A claim that is rejected can no longer be edited.", "An editor rejected this claim after you"),
    ],
)
def test_it_shows_the_typed_text_back_when_an_editor_triaged_the_claim_meanwhile(
    jane, make_claim, editor, decision, refused, meaning
):
    claim = make_claim()
    assert jane.get(edit_url(claim)).status_code == 200  # the journalist opens the form while it is submitted
    services.triage_claim(claim_id=claim.pk, editor=editor, decision=decision, reason="Not checkable.")

    answer = jane.post(edit_url(claim), typed())

    html = answer.content.decode()
    assert answer.status_code == 409
    assert answer.templates[0].name == "workspace/journalist/not_saved.html"
    assert refused in html and meaning in html
    assert f'dir="auto" readonly>{HINDI_TEXT}</textarea>' in html
    assert f'dir="auto" readonly>{HINDI_CLAIMANT}</textarea>' in html
    assert "2026-03-14" in html and "Hindi" in html
    assert f'<p class="claim-text" dir="auto">{STORED_TEXT}</p>' in html  # what the desk triaged, to compare
    assert_unchanged(claim)


def test_it_keeps_the_typed_text_when_the_triage_lands_between_the_check_and_the_edit(
    jane, make_claim, editor, monkeypatch
):
    claim = make_claim()
    edit = services.edit_claim

    def triaged_first(**arguments):
        services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
        return edit(**arguments)

    monkeypatch.setattr(journalist_views.services, "edit_claim", triaged_first)

    answer = jane.post(edit_url(claim), typed())

    html = answer.content.decode()
    assert answer.status_code == 409
    assert "A claim that is queued can no longer be edited." in html
    assert "An editor accepted this claim after you" in html
    assert HINDI_TEXT in html and HINDI_CLAIMANT in html
    assert_unchanged(claim)


@pytest.mark.parametrize(
    ("given", "refused"),
    [
        ({"text": "\u200b\u0301"}, "This field is required."),
        ({"quote": "Words the report never had"}, "does not contain these words: copy them exactly as written."),
    ],
    ids=["text that shows nothing", "quote not in the report"],
)
def test_a_refused_text_comes_back_in_the_form_as_typed(jane, make_claim, given, refused):
    claim = make_claim()

    answer = jane.post(edit_url(claim), typed(**given))

    html = answer.content.decode()
    assert answer.status_code == 400
    assert refused in html
    assert HINDI_CLAIMANT in html and "2026-03-14" in html
    if "quote" in given:
        assert given["quote"] in html and HINDI_TEXT in html
    assert_unchanged(claim)
