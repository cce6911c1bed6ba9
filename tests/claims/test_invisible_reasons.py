"""Text that shows nothing (zero-width spaces, a byte-order mark, spaces around them) is refused wherever a person's
words are published or kept as the reason for a change: in the services, so the API, the desk and the workspace all
refuse it with the same words."""

import pytest

from claims import services as claim_services
from claims.models import Claim, ClaimStatus, Topic
from core.errors import InvalidInput
from factcheck.record import services as publishing

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

    answer = client.post(f"{CLAIMS}actions/reject/", {"ids": claim.pk, "reason": "\u200b\u200b"}, follow=True)

    (message,) = [str(m) for m in answer.context["messages"]]
    assert message.endswith("Say why the claim is rejected: this reason shows nothing.")
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.SUBMITTED


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
