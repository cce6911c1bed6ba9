"""Each desk e-mail goes out once per offer, overdue verdict and unroutable alert, however often its task runs; and
the queue sweep sends every one that never went out (a refused broker, a killed worker, a failed send)."""

from contextlib import contextmanager
from datetime import timedelta

import celery.app.task
import pytest
from django.core import mail
from kombu.exceptions import OperationalError as BrokerDown

from claims import services as claim_services
from config.celery import app
from reviews import tasks
from reviews.models import Assignment, UnroutableAlert
from reviews.services import assignments as desk_services
from reviews.services import notifications, sla
from tests.reviews.conftest import T0

AFTER_GRACE = notifications.MAIL_GRACE + timedelta(seconds=1)


@pytest.fixture
def rita(reviewer):
    reviewer.email = "rita@example.org"
    reviewer.save(update_fields=["email"])
    return reviewer


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return sla.sweep()

    return run


@pytest.fixture
def broker_refusing(monkeypatch):
    """Within the block, every send fails as kombu reports a Redis that refuses connections (core/dispatch.py)."""

    def refuse(self, *args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    @contextmanager
    def refusing():
        with monkeypatch.context() as patch:
            patch.setattr(celery.app.task.Task, "apply_async", refuse)
            app.conf.task_always_eager = False
            try:
                yield
            finally:
                app.conf.task_always_eager = True

    return refusing


def offers_without_mail(editor, make_claim, count: int) -> list[int]:
    """Offers whose mail task has not run: routing committed, its message not yet handled (or lost)."""
    ids = []
    for n in range(count):
        claim = make_claim(f"Exports rose by {n + 10}%")
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
        ids.append(desk_services.route_claim(claim_id=claim.pk).pk)
    return ids


def subjects() -> list[str]:
    return sorted(message.subject for message in mail.outbox)


# Redelivery: the same task, or the batch, runs again


def test_it_sends_an_offer_email_once_however_often_its_task_runs(clock, queue, make_claim, rita):
    claim = queue(make_claim("The talks lasted five hours"))  # its task ran on commit
    offer = claim.assignments.get()

    tasks.notify_offer.apply(args=(offer.pk,))
    tasks.notify_offer.apply(args=(offer.pk,))
    tasks.notify_offers.apply(args=([offer.pk],))

    assert subjects() == ["New claim to check: The talks lasted five hours"]
    offer.refresh_from_db()
    assert offer.offer_mailed_at == T0


def test_a_redelivered_batch_sends_only_the_offers_it_had_not_mailed(clock, editor, make_claim, rita):
    first, *rest = offers_without_mail(editor, make_claim, 3)
    notifications.notify_offer(first)  # the killed batch got this far

    tasks.notify_offers.apply(args=([first, *rest],))  # redelivered
    tasks.notify_offers.apply(args=([first, *rest],))  # and sent once more by hand

    assert subjects() == [f"New claim to check: Exports rose by {n}%" for n in (10, 11, 12)]


def test_it_sends_an_escalation_and_an_alert_once_however_often_their_tasks_run(
    clock, queue, sweep, make_claim, reviewer, editors_with_email
):
    claim = queue(make_claim("Unemployment fell to 3%"))
    assignment = desk_services.accept_assignment(assignment_id=claim.assignments.get().pk, reviewer=reviewer)
    stranded = queue(make_claim("Le chômage a baissé", language="fr"))
    clock.move_to(assignment.due_at)
    sweep()

    for _ in range(2):
        tasks.notify_escalation.apply(args=(assignment.pk,))
        tasks.notify_unroutable.apply(args=(stranded.pk,))

    assert subjects() == ["No reviewer available for: Le chômage a baissé", "Overdue review: Unemployment fell to 3%"]


# The sweep sends what never went out, and nothing that did


def test_the_sweep_sends_the_rest_of_a_killed_batch_within_minutes(clock, editor, make_claim, sweep, rita):
    mailed, killed_mid_send, never_reached = offers_without_mail(editor, make_claim, 3)
    notifications.notify_offer(mailed)
    Assignment.objects.filter(pk=killed_mid_send).update(offer_mail_claimed_at=T0)  # claimed, then kill -9

    sweep()  # too soon: the batch's own message may still be on its way
    assert subjects() == ["New claim to check: Exports rose by 10%"]

    clock.move_to(T0 + AFTER_GRACE)
    assert sweep().remailed == 1  # the claimed one may still be sending: its claim holds until the lease runs out
    assert subjects() == ["New claim to check: Exports rose by 10%", "New claim to check: Exports rose by 12%"]

    clock.move_to(T0 + notifications.MAIL_LEASE + timedelta(seconds=1))
    sweep()
    sweep()
    assert subjects() == [f"New claim to check: Exports rose by {n}%" for n in (10, 11, 12)]
    assert all(
        Assignment.objects.filter(pk__in=[mailed, killed_mid_send, never_reached]).values_list(
            "offer_mailed_at", flat=True
        )
    )


def test_a_send_that_failed_is_released_and_sent_by_the_next_sweep(clock, editor, make_claim, sweep, rita, monkeypatch):
    [offer] = offers_without_mail(editor, make_claim, 1)
    with monkeypatch.context() as patch:
        patch.setattr(notifications, "send_mail", lambda *args, **kwargs: (_ for _ in ()).throw(OSError("SMTP gone")))
        with pytest.raises(OSError):
            notifications.notify_offer(offer)
    assert Assignment.objects.get(pk=offer).offer_mail_claimed_at is None  # released, not held for a lease

    clock.move_to(T0 + AFTER_GRACE)
    sweep()
    sweep()

    assert subjects() == ["New claim to check: Exports rose by 10%"]


def test_the_sweep_sends_no_mail_that_already_went_out(clock, queue, sweep, make_claim, rita, editors_with_email):
    queue(make_claim("The talks lasted five hours"))
    queue(make_claim("Le chômage a baissé", language="fr"))
    clock.move_to(T0 + timedelta(hours=1))
    sweep()  # alerts the editors
    assert len(mail.outbox) == 2

    clock.move_to(T0 + timedelta(hours=1) + AFTER_GRACE)
    assert sweep().remailed == 0
    assert len(mail.outbox) == 2


def test_a_reviewer_without_an_address_is_not_tried_again_by_every_sweep(clock, editor, make_claim, sweep, reviewer):
    [offer] = offers_without_mail(editor, make_claim, 1)
    assert notifications.notify_offer(offer) is False

    clock.move_to(T0 + AFTER_GRACE)
    assert sweep().remailed == 0
    assert Assignment.objects.get(pk=offer).offer_mailed_at == T0


# The broker refuses the mail's message: the sweep sends it once the broker is back


def test_an_escalation_the_broker_refused_is_sent_by_a_later_sweep(
    clock, queue, sweep, make_claim, reviewer, editors_with_email, broker_refusing
):
    claim = queue(make_claim("Unemployment fell to 3%"))
    assignment = desk_services.accept_assignment(assignment_id=claim.assignments.get().pk, reviewer=reviewer)
    clock.move_to(assignment.due_at)
    with broker_refusing():
        assert sweep().escalated == 1
    assert mail.outbox == []

    clock.move_to(assignment.due_at + AFTER_GRACE)
    sweep()
    sweep()

    assert subjects() == ["Overdue review: Unemployment fell to 3%"]
    assignment.refresh_from_db()
    assert assignment.escalated_at == assignment.due_at
    assert assignment.escalation_mailed_at == assignment.due_at + AFTER_GRACE


def test_an_unroutable_alert_the_broker_refused_is_sent_by_a_later_sweep(
    clock, queue, sweep, make_claim, reviewer, editors_with_email, broker_refusing
):
    queue(make_claim("Le chômage a baissé", language="fr"))
    clock.move_to(T0 + timedelta(hours=1))
    with broker_refusing():
        assert sweep().alerted == 1
    assert mail.outbox == []

    clock.move_to(T0 + timedelta(hours=1) + AFTER_GRACE)
    sweep()
    sweep()

    assert subjects() == ["No reviewer available for: Le chômage a baissé"]
    assert UnroutableAlert.objects.get().mailed_at is not None


def test_an_offer_email_the_broker_refused_is_sent_by_a_later_sweep(
    clock, editor, make_claim, sweep, rita, broker_refusing
):
    claim = make_claim("The talks lasted five hours")
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # its routing message is lost
    with broker_refusing():
        assert sweep().routed == 1  # offered; the offer's mail is refused
    assert mail.outbox == []

    clock.move_to(T0 + AFTER_GRACE)
    sweep()
    sweep()

    assert subjects() == ["New claim to check: The talks lasted five hours"]


# Where the offer e-mail sends the reviewer


def test_the_offer_email_links_to_the_reviewers_workspace_queue(clock, queue, make_claim, rita, settings):
    settings.SITE_URL = "https://desk.example.org"
    queue(make_claim())

    [message] = mail.outbox
    assert "Your queue: https://desk.example.org/workspace/queue/\n" in message.body
    assert "/api/" not in message.body
