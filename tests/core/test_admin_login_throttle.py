"""Admin sign-in is limited per account and per address: after too many wrong passwords even the right one is refused
with a clear message, until the cool-off has passed."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import PASSWORD

LOGIN = "/admin/login/"
LOCKED = "Too many failed sign-ins for this account or from this address"


@pytest.fixture
def limit(settings) -> int:
    return settings.AXES_FAILURE_LIMIT


def sign_in(client, username: str, password: str, address: str = "198.51.100.1", **meta):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address, **meta
    )


def signed_in(answer) -> bool:
    return answer.status_code == 302 and answer["Location"] == "/admin/"


def assert_locked_out(answer) -> None:
    assert answer.status_code == 429, answer.content[:300]
    assert LOCKED in answer.content.decode()


def test_it_lets_an_editor_sign_in_with_the_right_password(client, editor):
    assert signed_in(sign_in(client, "eddie", PASSWORD))


def test_it_refuses_the_right_password_after_too_many_wrong_ones_for_the_account(client, editor, limit):
    # From a new address each time: the count is the account's, so moving between addresses does not help.
    for attempt in range(limit - 1):
        assert sign_in(client, "eddie", f"guess-{attempt}", address=f"198.51.100.{attempt + 10}").status_code == 200
    assert_locked_out(sign_in(client, "eddie", "last-guess", address="198.51.100.99"))  # the one that reaches it

    answer = sign_in(client, "eddie", PASSWORD, address="203.0.113.200")

    assert_locked_out(answer)
    assert "_auth_user_id" not in client.session


def test_it_keeps_other_accounts_open_when_one_is_locked(client, editor, other_editor, limit):
    for attempt in range(limit):
        sign_in(client, "eddie", f"guess-{attempt}", address=f"198.51.100.{attempt + 10}")

    assert signed_in(sign_in(client, "erin", PASSWORD, address="203.0.113.201"))


def test_it_refuses_an_address_that_tried_too_many_wrong_passwords(client, editor, limit):
    # One address trying many accounts, a few guesses each: the count is the address's too.
    for attempt in range(limit):
        sign_in(client, f"someone-{attempt}", "guess", address="203.0.113.7")

    assert_locked_out(sign_in(client, "eddie", PASSWORD, address="203.0.113.7"))
    assert signed_in(sign_in(client, "eddie", PASSWORD, address="203.0.113.8"))


def test_it_lets_the_account_sign_in_again_after_the_cool_off(client, editor, limit, settings):
    for attempt in range(limit):
        sign_in(client, "eddie", f"guess-{attempt}")
    assert_locked_out(sign_in(client, "eddie", PASSWORD))

    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME - timedelta(seconds=30)):
        assert_locked_out(sign_in(client, "eddie", PASSWORD))
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        assert signed_in(sign_in(client, "eddie", PASSWORD))


def test_it_forgets_earlier_failures_once_the_right_password_is_given(client, editor, limit):
    for attempt in range(limit - 1):
        sign_in(client, "eddie", f"guess-{attempt}")
    assert signed_in(sign_in(client, "eddie", PASSWORD))
    client.logout()

    for attempt in range(limit - 1):
        sign_in(client, "eddie", f"again-{attempt}")

    assert signed_in(sign_in(client, "eddie", PASSWORD))


def test_it_counts_readers_behind_a_trusted_proxy_by_the_address_the_proxy_saw(client, editor, limit, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(limit):
        sign_in(client, f"someone-{attempt}", "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert_locked_out(sign_in(client, "eddie", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"))
    # Another reader behind the same proxy, and a forged left-hand entry that does not buy a fresh count.
    assert signed_in(sign_in(client, "eddie", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8"))
    forged = sign_in(client, "eddie", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert_locked_out(forged)


def test_it_still_issues_api_tokens(api, editor):
    answer = api().post("/api/v1/auth/token/", {"username": "eddie", "password": PASSWORD}, format="json")

    assert answer.status_code == 200
    assert answer.json()["token"]


def test_it_counts_wrong_token_passwords_towards_the_accounts_admin_lockout(client, api, editor, limit):
    codes = [
        api().post("/api/v1/auth/token/", {"username": "eddie", "password": f"guess-{n}"}, format="json").status_code
        for n in range(limit)
    ]

    # The failure that reaches the limit locks the account, and says so, as the admin's sign-in page does.
    assert codes == [400] * (limit - 1) + [429]

    assert_locked_out(sign_in(client, "eddie", PASSWORD, address="203.0.113.99"))


def test_a_locked_account_asking_for_a_token_is_told_it_is_locked_not_that_its_password_is_wrong(api, editor, limit):
    for attempt in range(limit):
        api().post("/api/v1/auth/token/", {"username": "eddie", "password": f"guess-{attempt}"}, format="json")

    right = api().post(
        "/api/v1/auth/token/", {"username": "eddie", "password": PASSWORD}, format="json", REMOTE_ADDR="192.0.2.44"
    )
    unknown = api().post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json", REMOTE_ADDR="192.0.2.45"
    )

    assert right.status_code == 429
    assert right.json()["detail"].startswith("Too many failed sign-ins for this account")
    assert unknown.status_code == 400  # another account from another address: wrong credentials, as before
