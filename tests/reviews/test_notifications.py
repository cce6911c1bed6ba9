"""Emails of the desk: offers to reviewers, overdue reviews and claims nobody can take to editors."""

from datetime import timedelta

import pytest
from django.core import mail

from claims import services as claim_services
from core.roles import Role
from reviews.models import AssignmentState
from reviews.services import assignments as desk_services
from reviews.services import notifications, sla
from reviews.services.members import add_member
from tests.reviews.conftest import T0

AWKWARD_TEXT = 'Jobs & wages rose <5% in "2025", it\'s said'


@pytest.fixture
def rita_with_email(reviewer):
    reviewer.email = "rita@example.org"
    reviewer.save(update_fields=["email"])
    return reviewer


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return sla.sweep()

    return run


def test_it_emails_the_reviewer_about_a_new_offer(clock, queue, make_claim, rita_with_email):
    queue(make_claim("The talks lasted more than five hours"))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rita@example.org"]
    assert message.subject == "New claim to check: The talks lasted more than five hours"
    assert '"The talks lasted more than five hours"' in message.body
    assert "by 2 March 2026, 11:00 UTC" in message.body  # accept by: normal priority, two hours
    assert "3 March 2026, 09:00 UTC" in message.body  # verdict due: 24 hours


def test_it_sends_no_offer_email_to_a_reviewer_without_an_address(queue, make_claim, reviewer):
    claim = queue(make_claim())

    assert claim.assignments.get().reviewer == reviewer
    assert mail.outbox == []


def test_it_sends_no_offer_email_once_the_offer_is_declined(editor, make_claim, rita_with_email):
    # Routing ran but its email task has not yet: the offer is declined in between.
    declined_claim, open_claim = make_claim("Trade rose by 12%"), make_claim("Exports doubled")
    for claim in (declined_claim, open_claim):
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
    declined = desk_services.route_claim(claim_id=declined_claim.pk)
    still_open = desk_services.route_claim(claim_id=open_claim.pk)
    desk_services.decline_assignment(assignment_id=declined.pk, reviewer=rita_with_email, reason="Busy")

    assert notifications.notify_offer(declined.pk) is False
    assert mail.outbox == []
    assert notifications.notify_offer(still_open.pk) is True
    assert [m.subject for m in mail.outbox] == ["New claim to check: Exports doubled"]


def test_it_emails_every_editor_with_an_address_about_an_overdue_review(
    clock, queue, sweep, make_claim, reviewer, journalist, editors_with_email
):
    add_member(username="edna", role=Role.EDITOR)  # no address: skipped
    claim = queue(make_claim("Unemployment fell to 3%"))
    assignment = desk_services.accept_assignment(assignment_id=claim.assignments.get().pk, reviewer=reviewer)

    clock.move_to(assignment.due_at)
    sweep()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == editors_with_email  # not the journalist, who has an address too
    assert message.subject == "Overdue review: Unemployment fell to 3%"
    assert '"Unemployment fell to 3%"' in message.body
    assert "due 3 March 2026, 09:00 UTC" in message.body
    assert "Reviewer: rita" in message.body


def test_it_sends_no_escalation_email_once_the_verdict_is_published(desk, make_claim, editors_with_email):
    # Escalated, but the verdict was approved before the email task ran.
    claim = make_claim()
    desk.published(claim)
    assignment = claim.assignments.get()
    assert assignment.state == AssignmentState.COMPLETED

    assert notifications.notify_escalation(assignment.pk) is False
    assert mail.outbox == []


def test_it_emails_editors_about_a_claim_no_reviewer_can_take(
    clock, queue, sweep, make_claim, reviewer, editors_with_email
):
    queue(make_claim("Le chômage a baissé", language="fr"))

    clock.move_to(T0 + timedelta(hours=1))
    sweep()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == editors_with_email
    assert message.subject == "No reviewer available for: Le chômage a baissé"
    assert "more than 60 minutes" in message.body
    assert 'language "fr"' in message.body
    assert '"Le chômage a baissé"' in message.body


def test_it_writes_claim_text_literally_without_html_escaping(
    clock, queue, sweep, make_claim, rita_with_email, editors_with_email
):
    claim = queue(make_claim(AWKWARD_TEXT))
    desk_services.accept_assignment(assignment_id=claim.assignments.get().pk, reviewer=rita_with_email)
    queue(make_claim(AWKWARD_TEXT, language="fr"))
    clock.move_to(T0 + timedelta(hours=24))
    sweep()

    subjects = [m.subject.split(":")[0] for m in mail.outbox]
    assert sorted(subjects) == ["New claim to check", "No reviewer available for", "Overdue review"]
    for message in mail.outbox:
        assert message.subject.endswith(AWKWARD_TEXT)
        assert f'"{AWKWARD_TEXT}"' in message.body
        for artefact in ("&amp;", "&lt;", "&quot;", "&#x27;", "&#39;"):
            assert artefact not in message.subject + message.body
