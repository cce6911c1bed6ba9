"""A sign-in lockout says how long it has left (Retry-After, as every other 429 does), and can be lifted the ways the
docs give: an operator runs axes' reset commands, or a superuser deletes its access attempts in the admin."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import PASSWORD

LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"
ATTEMPTS = "/admin/axes/accessattempt/"


@pytest.fixture
def limit(settings) -> int:
    return settings.AXES_FAILURE_LIMIT


@pytest.fixture
def cool_off(settings) -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def sign_in(client, username: str, password: str, address: str = "198.51.100.1"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)


def lock_out(client, username: str, limit: int, address: str = "198.51.100.1") -> None:
    for attempt in range(limit):
        sign_in(client, username, f"guess-{attempt}", address=address)


def retry_after(answer) -> int:
    assert answer.status_code == 429, answer.content[:300]
    return int(answer["Retry-After"])


def test_the_lockout_answer_says_how_long_it_has_left(client, editor, limit, cool_off):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        lock_out(client, "eddie", limit)
        assert retry_after(sign_in(client, "eddie", PASSWORD)) == cool_off

    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert retry_after(sign_in(client, "eddie", PASSWORD)) == cool_off - 600


def test_the_api_tokens_lockout_answer_says_it_too(api, editor, limit, cool_off):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for attempt in range(limit):
            api().post(TOKEN, {"username": "eddie", "password": f"guess-{attempt}"}, format="json")
    with time_machine.travel(start + timedelta(seconds=100), tick=False):
        answer = api().post(TOKEN, {"username": "eddie", "password": PASSWORD}, format="json")

    assert retry_after(answer) == cool_off - 100
    assert answer.json()["detail"].startswith("Too many failed sign-ins")


def test_an_address_is_let_through_when_enough_of_its_oldest_failures_have_aged_out(client, editor, limit, cool_off):
    # Three wrong guesses for one account, then the rest of the limit for another, five minutes later: the address
    # is free once the first three stop counting, a cool-off after them.
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for attempt in range(limit - 2):
            sign_in(client, "someone", f"guess-{attempt}", address="203.0.113.7")
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        for attempt in range(2):
            sign_in(client, "someone-else", f"guess-{attempt}", address="203.0.113.7")
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        wait = retry_after(sign_in(client, "eddie", PASSWORD, address="203.0.113.7"))

    assert wait == cool_off - 6 * 60
    with time_machine.travel(start + timedelta(minutes=6, seconds=wait + 1), tick=False):
        assert sign_in(client, "eddie", PASSWORD, address="203.0.113.7").status_code == 302


def test_a_superuser_sees_the_access_attempts_and_lifts_a_lockout_by_deleting_them(client, editor, other_editor, limit):
    lock_out(client, "erin", limit)
    assert sign_in(client, "erin", PASSWORD, address="192.0.2.9").status_code == 429
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)

    listed = client.get(ATTEMPTS)
    attempt = AccessAttempt.objects.get(username="erin")
    deleted = client.post(f"{ATTEMPTS}{attempt.pk}/delete/", {"post": "yes"})

    assert listed.status_code == 200 and "erin" in listed.content.decode()
    assert deleted.status_code == 302
    client.logout()
    assert sign_in(client, "erin", PASSWORD, address="192.0.2.9").status_code == 302


def test_an_editor_cannot_lift_a_lockout_in_the_admin(client, editor, other_editor, limit):
    # Lifting a lockout reopens an account to password guessing: an administrator's call, not the desk's.
    lock_out(client, "erin", limit)
    client.force_login(editor)
    attempt = AccessAttempt.objects.get(username="erin")

    assert client.get(ATTEMPTS).status_code == 403
    assert client.post(f"{ATTEMPTS}{attempt.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


@pytest.mark.parametrize(
    ("command", "argument", "address"),
    [("axes_reset_username", "eddie", "192.0.2.10"), ("axes_reset_ip", "198.51.100.1", "198.51.100.1")],
)
def test_an_operator_lifts_a_lockout_with_the_documented_commands(client, editor, limit, command, argument, address):
    lock_out(client, "eddie", limit)
    assert sign_in(client, "eddie", PASSWORD, address=address).status_code == 429

    call_command(command, argument)

    assert sign_in(client, "eddie", PASSWORD, address=address).status_code == 302
