"""A real worker on the broker: duplicate and redelivered mail messages send each offer's e-mail once, and beat's
queue sweep sends the mails whose messages were lost or whose worker was killed holding them.

The worker runs the development settings, whose console mail backend writes every e-mail to the worker's log.
"""

import time

import pytest
from django.utils import timezone

from claims import services as claim_services
from core.names import Task
from core.roles import Role
from reviews.models import Assignment
from reviews.services import assignments as desk_services
from reviews.services import notifications
from reviews.services.members import add_member
from tests.integration.conftest import CeleryProcess, start_beat

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SUBJECT = "Subject: New claim to check: "
CONSOLE_MAIL = {"DJANGO_SETTINGS_MODULE": "config.settings.dev"}


def wait_until(condition, timeout_s: float = 60) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def mail_worker(log_path) -> CeleryProcess:
    args = ("worker", "-c", "2", "-Q", "default,routing,notifications", "--without-gossip", "--without-mingle")
    worker = CeleryProcess(log_path, *args, env=CONSOLE_MAIL).start()
    worker.wait_for_log(" ready.", timeout_s=60)
    return worker


def make_offers(journalist, editor, count: int) -> list[int]:
    """Offers whose e-mail messages wait in the broker (no worker runs yet)."""
    add_member(username="mia", role=Role.REVIEWER, languages=["en"], capacity=count, email="mia@example.org")
    ids = []
    for n in range(count):
        claim = claim_services.submit_claim(user=journalist, text=f"Exports rose by {n + 10}%", language="en")
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
        ids.append(desk_services.route_claim(claim_id=claim.pk).pk)
    return ids


def succeeded(worker: CeleryProcess, task_name: str) -> int:
    """Messages of the task (or of a task whose name starts so) the worker has finished."""
    return sum(f"Task {task_name}" in line and " succeeded in " in line for line in worker.log().splitlines())


def mailed_subjects(worker: CeleryProcess) -> list[str]:
    return sorted(line.strip() for line in worker.log().splitlines() if line.startswith(SUBJECT))


def test_duplicate_and_redelivered_messages_send_each_offer_email_once(real_broker, tmp_path, journalist, editor):
    offers = make_offers(journalist, editor, 4)
    for _ in range(2):  # the batch redelivered, and sent again by hand
        real_broker.send_task(Task.NOTIFY_OFFERS, args=[offers])
    for offer in offers:
        real_broker.send_task(Task.NOTIFY_OFFER, args=[offer])
    messages = len(offers) * 2 + 2

    worker = mail_worker(tmp_path / "worker.log")
    try:
        handled = wait_until(lambda: succeeded(worker, "reviews.notify_offer") >= messages)
    finally:
        worker.stop()

    assert handled, worker.log()[-3000:]
    assert mailed_subjects(worker) == [f"{SUBJECT}Exports rose by {n}%" for n in (10, 11, 12, 13)]
    assert Assignment.objects.filter(pk__in=offers, offer_mailed_at=None).count() == 0


def test_the_sweep_sends_the_mails_a_killed_worker_left(real_broker, tmp_path, journalist, editor):
    sent, held_by_the_dead, _never_sent = make_offers(journalist, editor, 3)
    real_broker.control.purge()  # every message gone, as after a Redis restart or an hour-long unacked wait
    now = timezone.now()
    Assignment.objects.update(offered_at=now - 2 * notifications.MAIL_GRACE)
    Assignment.objects.filter(pk=sent).update(offer_mailed_at=now)
    Assignment.objects.filter(pk=held_by_the_dead).update(offer_mail_claimed_at=now - notifications.MAIL_LEASE)

    worker = mail_worker(tmp_path / "worker.log")
    beat = start_beat(tmp_path / "beat.log")
    try:
        unsent = Assignment.objects.filter(offer_mailed_at=None)
        mailed = wait_until(lambda: not unsent.exists())
        time.sleep(3)  # more sweeps: nothing is sent again
    finally:
        beat.stop()
        worker.stop()

    assert mailed, worker.log()[-3000:] + beat.log()[-1000:]
    assert mailed_subjects(worker) == [f"{SUBJECT}Exports rose by {n}%" for n in (11, 12)]
