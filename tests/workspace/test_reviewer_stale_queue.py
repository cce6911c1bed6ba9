"""A review submitted for approval is with the editors: the reviewer's queue says so, offers no write button and
flags nothing overdue, though the assignment stays accepted until an editor decides."""

from datetime import timedelta

from django.utils import timezone

from claims.models import ClaimStatus
from tests.workspace import test_reviewer
from tests.workspace.test_reviewer import QUEUE, claim_url, form_url, review_fields

# The reviewer's fixtures, shared with the workspace's main tests.
offer, accepted, rita = test_reviewer.offer, test_reviewer.accepted, test_reviewer.rita


def _submitted(rita, claim):
    source = {"source-url": "https://gov.example.org/schedule", "source-title": "Official schedule"}
    rita.post(form_url(claim), review_fields(add_source="1", **source))
    rita.post(form_url(claim), review_fields(submit="1"))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_APPROVAL


def test_a_submitted_review_shows_in_the_queue_as_with_the_editors_without_a_write_button(
    rita, make_claim, accepted, time_machine
):
    claim = make_claim("Rita's submitted claim")
    accepted(claim)
    _submitted(rita, claim)
    time_machine.move_to(timezone.now() + timedelta(days=4), tick=False)  # past its due time

    page = rita.get(QUEUE).content.decode()

    assert "Rita&#x27;s submitted claim" in page
    assert "Submitted — awaiting approval" in page
    assert "Your review is with the editors" in page
    assert form_url(claim) not in page and "Write the review" not in page
    assert 'class="overdue"' not in page and "is-overdue" not in page


def test_a_claim_being_written_still_offers_the_write_button_and_its_overdue_flag(
    rita, make_claim, accepted, time_machine
):
    claim = make_claim("Rita's draft claim")
    accepted(claim)
    time_machine.move_to(timezone.now() + timedelta(days=4), tick=False)

    page = rita.get(QUEUE).content.decode()

    assert "Accepted" in page and "Submitted — awaiting approval" not in page
    assert form_url(claim) in page and page.count('class="overdue"') == 1


def test_the_claim_page_flags_nothing_overdue_once_the_review_is_with_the_editors(
    rita, make_claim, accepted, time_machine
):
    claim = make_claim()
    accepted(claim)
    _submitted(rita, claim)
    time_machine.move_to(timezone.now() + timedelta(days=4), tick=False)

    page = rita.get(claim_url(claim)).content.decode()

    assert 'class="overdue"' not in page
