"""Text that shows nothing (zero-width spaces, a byte-order mark, spaces around them) is refused wherever a person's
words are published or kept as the reason for a change: in the services, so the API, the desk and the workspace all
refuse it with the same words."""

import pytest

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus, Topic
from core.errors import InvalidInput
from factcheck.record import services as publishing
from reviews.models import Source

pytestmark = pytest.mark.django_db

INVISIBLE = ["\u200b", "\u200b \u200b", "\ufeff\u2060", " \u200b\r\n\u200b "]
CLAIMS = "/admin/claims/claim/"


@pytest.mark.parametrize("reason", INVISIBLE)
def test_a_rejection_needs_a_reason_that_shows(editor, make_claim, reason):
    claim = make_claim()

    with pytest.raises(InvalidInput) as refused:
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="reject", reason=reason)

    assert refused.value.errors == {"reason": ["Say why the claim is rejected: this reason shows nothing."]}
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.SUBMITTED


def test_the_api_refuses_an_invisible_rejection_reason(api, editor, make_claim):
    claim = make_claim()

    answer = api(editor).post(f"/api/v1/claims/{claim.pk}/triage/", {"decision": "reject", "reason": "\u200b"})

    assert answer.status_code == 400
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.SUBMITTED


def test_the_desk_refuses_an_invisible_rejection_reason_in_the_services_words(client, editor, make_claim):
    claim = make_claim()
    client.force_login(editor)

    answer = client.post(f"{CLAIMS}actions/reject/", {"ids": claim.pk, "reason": "\u200b\u200b"})

    assert answer.status_code == 400
    form = answer.context["form"]
    assert form.errors["reason"] == ["Say why the claim is rejected: this reason shows nothing."]
    assert form["reason"].value() == "\u200b\u200b"
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.SUBMITTED
    assert not ClaimEvent.objects.filter(claim=claim, to_status=ClaimStatus.REJECTED).exists()


@pytest.mark.parametrize("reason", INVISIBLE)
def test_a_retraction_needs_a_reason_that_shows(editor, make_claim, desk, reason):
    claim = make_claim()
    desk.published(claim)

    with pytest.raises(InvalidInput, match="Say why the verdict is retracted"):
        publishing.retract(claim_id=claim.pk, editor=editor, reason=reason)

    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PUBLISHED


@pytest.mark.parametrize("note", INVISIBLE)
def test_a_correction_needs_a_public_note_that_shows(editor, make_claim, desk, note):
    claim = make_claim()
    fact_check = desk.published(claim)

    with pytest.raises(InvalidInput, match="A correction needs a public note"):
        publishing.correct(claim_id=claim.pk, editor=editor, note=note, rating="mostly-false")

    fact_check.refresh_from_db()
    assert fact_check.current_version.number == 1


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_topic_needs_a_name_that_shows(editor, name):
    with pytest.raises(InvalidInput, match="Give the topic a name"):
        claim_services.create_topic(user=editor, name=name)

    assert not Topic.objects.exists()


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_topic_keeps_its_name_when_renamed_to_nothing_visible(editor, name):
    topic = claim_services.create_topic(user=editor, name="Health")

    with pytest.raises(InvalidInput, match="Give the topic a name"):
        claim_services.update_topic(topic_id=topic.pk, user=editor, name=name)

    assert Topic.objects.get(pk=topic.pk).name == "Health"


def test_a_topic_is_renamed_in_any_script_and_keeps_its_slug(editor):
    topic = claim_services.create_topic(user=editor, name="Health")

    renamed = claim_services.update_topic(topic_id=topic.pk, user=editor, name=" Здоровье\u200b ")

    assert (renamed.name, renamed.slug) == ("Здоровье", "health")


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_claims_text_cannot_be_edited_into_nothing_visible(editor, make_claim, text):
    claim = make_claim()

    with pytest.raises(InvalidInput, match="this text shows nothing"):
        claim_services.edit_claim(claim_id=claim.pk, user=editor, text=text)

    assert Claim.objects.get(pk=claim.pk).text == "The talks lasted more than five hours"


def test_the_api_refuses_to_edit_a_claims_text_into_nothing_visible(api, journalist, make_claim):
    claim = make_claim()

    answer = api(journalist).patch(f"/api/v1/claims/{claim.pk}/", {"text": "\u200b \u200b"}, format="json")

    assert answer.status_code == 400
    assert Claim.objects.get(pk=claim.pk).text == "The talks lasted more than five hours"


def test_the_topic_admin_refuses_a_name_that_shows_nothing(client, editor):
    topic = Topic.objects.create(slug="health", name="Health", name_key="health")
    client.force_login(editor)

    answer = client.post(f"/admin/claims/topic/{topic.pk}/change/", {"name": "\u200b\u200b", "slug": "health"})

    assert answer.status_code == 200 and Topic.NAME_SHOWS_NOTHING in answer.content.decode()
    assert Topic.objects.get(pk=topic.pk).name == "Health"


# Text that shows nothing either way: an invisible character, and marks with nothing under them.
SHOWS_NOTHING = ["\u200b", "\u0301\ufe0f", "\u0301\ufe0f\u093e"]
SCHEDULE = "https://gov.example.org/schedule"


def _note_of_step(claim, to_status: str) -> str:
    """The note of the claim's last move to `to_status` (not of an edit, which keeps the status)."""
    steps = ClaimEvent.objects.filter(claim=claim, to_status=to_status).exclude(kind=ClaimEvent.Kind.EDIT)
    return steps.latest("pk").note


@pytest.mark.parametrize("note", SHOWS_NOTHING)
def test_the_api_refuses_to_return_a_review_with_comments_that_show_nothing(api, editor, make_claim, desk, note):
    claim = make_claim()
    desk.awaiting_approval(claim)

    answer = api(editor).post(f"/api/v1/claims/{claim.pk}/return/", {"note": note}, format="json")

    assert answer.status_code == 400, answer.content
    assert answer.json()["note"] == ["Say what the reviewer should change."]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.AWAITING_APPROVAL


@pytest.mark.parametrize("reason", SHOWS_NOTHING)
def test_an_accepted_claims_reason_that_shows_nothing_is_no_note(api, editor, make_claim, reason):
    claim = make_claim()

    answer = api(editor).post(
        f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept", "reason": reason}, format="json"
    )

    assert answer.status_code == 200, answer.content
    assert _note_of_step(claim, ClaimStatus.QUEUED) == ""


@pytest.mark.parametrize("reason", SHOWS_NOTHING)
def test_accepting_an_offer_with_a_reason_that_shows_nothing_leaves_no_note(api, make_claim, desk, reason):
    claim = make_claim()
    offer = desk.assigned(claim)

    answer = api(offer.reviewer).post(f"/api/v1/assignments/{offer.pk}/accept/", {"reason": reason}, format="json")

    assert answer.status_code == 200, answer.content
    assert _note_of_step(claim, ClaimStatus.IN_REVIEW) == ""


@pytest.mark.parametrize("reason", SHOWS_NOTHING)
def test_declining_with_a_reason_that_shows_nothing_is_a_plain_decline(api, make_claim, desk, reason):
    claim = make_claim()
    offer = desk.assigned(claim)

    answer = api(offer.reviewer).post(f"/api/v1/assignments/{offer.pk}/decline/", {"reason": reason}, format="json")

    assert answer.status_code == 200, answer.content
    offer.refresh_from_db()
    assert (offer.reason, _note_of_step(claim, ClaimStatus.QUEUED)) == ("Declined", "Declined")


@pytest.mark.parametrize("note", SHOWS_NOTHING)
def test_a_duplicates_note_that_shows_nothing_adds_nothing_to_the_reason(api, editor, make_claim, note):
    canonical, claim = make_claim(), make_claim(text="The talks lasted five hours")

    answer = api(editor).post(
        f"/api/v1/claims/{claim.pk}/duplicate/", {"canonical": canonical.pk, "note": note}, format="json"
    )

    assert answer.status_code == 200, answer.content
    assert _note_of_step(claim, ClaimStatus.REJECTED) == f"Duplicate of claim {canonical.pk}."


@pytest.mark.parametrize("note", SHOWS_NOTHING)
def test_an_approvals_note_that_shows_nothing_is_no_note(api, editor, make_claim, desk, note):
    claim = make_claim()
    desk.awaiting_approval(claim)

    answer = api(editor).post(f"/api/v1/claims/{claim.pk}/approve/", {"note": note}, format="json")

    assert answer.status_code == 200, answer.content
    assert _note_of_step(claim, ClaimStatus.PUBLISHED) == ""


@pytest.mark.parametrize("note", SHOWS_NOTHING)
def test_an_assignments_note_that_shows_nothing_is_left_out(
    api, editor, reviewer, other_reviewer, make_claim, desk, note
):
    claim = make_claim()
    accepted = desk.in_review(claim)
    other = other_reviewer if accepted.reviewer == reviewer else reviewer

    answer = api(editor).post(
        f"/api/v1/claims/{claim.pk}/assign/", {"reviewer": other.reviewer_profile.pk, "note": note}, format="json"
    )

    assert answer.status_code in (200, 201), answer.content
    assert _note_of_step(claim, ClaimStatus.QUEUED) == f"Reassigned by {editor.get_username()}"
    assert _note_of_step(claim, ClaimStatus.ASSIGNED) == f"Offered to {other.get_username()}"


@pytest.mark.parametrize("publisher", SHOWS_NOTHING)
def test_a_sources_publisher_that_shows_nothing_is_stored_empty(api, make_claim, desk, reviewer, publisher):
    claim = make_claim()
    desk.in_review(claim)
    draft = {"sources": [{"url": SCHEDULE, "title": "\u200bOfficial schedule\u200b", "publisher": publisher}]}

    saved = api(reviewer).put(f"/api/v1/claims/{claim.pk}/review/", draft, format="json")
    added = api(reviewer).post(
        f"/api/v1/claims/{claim.pk}/review/sources/",
        {"url": SCHEDULE, "title": "Schedule", "publisher": publisher},
        format="json",
    )

    assert saved.status_code == 200 and added.status_code == 201, (saved.content, added.content)
    rows = Source.objects.filter(review__claim=claim).order_by("position")
    assert [(s.title, s.publisher) for s in rows] == [("Official schedule", ""), ("Schedule", "")]


@pytest.mark.parametrize("title", SHOWS_NOTHING)
def test_a_source_needs_a_title_that_shows(api, make_claim, desk, reviewer, title):
    claim = make_claim()
    desk.in_review(claim)
    draft = {"sources": [{"url": SCHEDULE, "title": title, "publisher": "Government"}]}

    saved = api(reviewer).put(f"/api/v1/claims/{claim.pk}/review/", draft, format="json")

    assert saved.status_code == 400, saved.content
    assert saved.json() == {"sources": {"0": {"title": ["A source needs its title."]}}}
    assert not Source.objects.filter(review__claim=claim).exists()


@pytest.mark.parametrize("text", SHOWS_NOTHING)
def test_a_corrections_new_source_needs_a_title_and_keeps_no_invisible_publisher(
    api, other_editor, make_claim, desk, text
):
    claim = make_claim()
    fact_check = desk.published(claim)
    url = f"/api/v1/claims/{claim.pk}/corrections/"
    source = {"url": "https://gov.example.org/minutes", "title": "Minutes", "publisher": text}

    refused = api(other_editor).post(
        url, {"note": "A second source.", "sources": [{**source, "title": text}]}, format="json"
    )
    taken = api(other_editor).post(url, {"note": "A second source.", "sources": [source]}, format="json")

    assert refused.status_code == 400, refused.content
    assert refused.json() == {"sources": {"0": {"title": ["A source needs its title."]}}}
    assert taken.status_code == 201, taken.content
    fact_check.refresh_from_db()
    assert [(s["title"], s["publisher"]) for s in fact_check.current_version.sources] == [("Minutes", "")]


def test_a_rejection_reason_is_stored_without_the_invisible_characters_at_its_ends(editor, make_claim):
    claim = make_claim()

    claim_services.triage_claim(
        claim_id=claim.pk, editor=editor, decision="reject", reason="\u200b Not a claim of fact.\r\n"
    )

    assert claim.events.last().note == "Not a claim of fact."
