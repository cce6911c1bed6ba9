"""A member's password is a person's: `add_member` refuses one that AUTH_PASSWORD_VALIDATORS refuse and says why, reads
it from a prompt or from standard input so that it never has to be typed on the command line, and says so when the
account it made cannot sign in yet."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.demo import DEMO_PASSWORD
from reviews.management.commands import add_member as command

GOOD = "lantern-orchard-47"
User = get_user_model()


def _run(*args, stdin: str | None = None):
    out, err = StringIO(), StringIO()
    extra = {"stdin": StringIO(stdin)} if stdin is not None else {}
    call_command("add_member", *args, stdout=out, stderr=err, **extra)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def typed(monkeypatch):
    """What the operator types at the prompts, in order."""
    answers: list[str] = []
    monkeypatch.setattr(command.getpass, "getpass", lambda prompt="": answers.pop(0))
    return answers


def test_it_refuses_a_weak_password_for_an_editor_and_lists_what_is_wrong(db):
    with pytest.raises(CommandError) as refused:
        _run("weak", "--role", "editor", "--password", "a")

    message = str(refused.value)
    assert "too short" in message and "too common" in message
    assert not User.objects.filter(username="weak").exists()  # nothing left behind


def test_it_keeps_the_old_password_when_the_new_one_is_refused(db):
    _run("eddie", "--role", "editor", "--password", GOOD)

    with pytest.raises(CommandError, match="too common"):
        _run("eddie", "--role", "editor", "--password", "password123")

    assert User.objects.get(username="eddie").check_password(GOOD)


def test_it_reads_the_password_from_standard_input(db):
    out, _ = _run("eddie", "--role", "editor", "--password-stdin", stdin=f"{GOOD}\n")

    assert out.strip().endswith("eddie is an editor.")
    assert User.objects.get(username="eddie").check_password(GOOD)


def test_it_checks_a_password_read_from_standard_input_too(db):
    with pytest.raises(CommandError, match="too short"):
        _run("eddie", "--role", "editor", "--password-stdin", stdin="abc\n")
    with pytest.raises(CommandError, match="no password"):
        _run("eddie", "--role", "editor", "--password-stdin", stdin="")


def test_it_asks_for_the_password_twice(db, typed):
    typed.extend([GOOD, GOOD])

    _run("rita", "--role", "reviewer", "--password-prompt", "--languages", "en")

    assert User.objects.get(username="rita").check_password(GOOD)


def test_it_changes_nothing_when_the_two_typed_passwords_differ(db, typed):
    typed.extend([GOOD, GOOD + "!"])

    with pytest.raises(CommandError, match="differ"):
        _run("rita", "--role", "reviewer", "--password-prompt")

    assert not User.objects.filter(username="rita").exists()


def test_it_takes_one_way_of_giving_the_password_at_a_time(db):
    with pytest.raises(CommandError):
        _run("eddie", "--role", "editor", "--password", GOOD, "--password-stdin", stdin=f"{GOOD}\n")


def test_it_says_an_account_made_without_a_password_cannot_sign_in(db, client):
    _, err = _run("nopw", "--role", "editor")

    assert "nopw has no password and cannot sign in until one is set" in err
    assert "--password-prompt" in err
    user = User.objects.get(username="nopw")
    assert user.is_staff and not user.has_usable_password()


def test_it_says_nothing_of_the_kind_when_an_existing_member_is_updated_without_a_password(db):
    _run("nora", "--role", "reviewer", "--password", GOOD, "--languages", "en")

    _, err = _run("nora", "--role", "reviewer", "--languages", "fr")

    assert err == ""
    assert User.objects.get(username="nora").check_password(GOOD)


def test_the_demo_password_passes_the_rules_its_loader_does_not_need_to_skip(db):
    _run("demo-editor", "--role", "editor", "--password", DEMO_PASSWORD)

    assert User.objects.get(username="demo-editor").check_password(DEMO_PASSWORD)
