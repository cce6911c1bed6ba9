"""The project as an operator meets it: settings from the environment, deployment checks, commands, demo, docs."""

import os
import re
import secrets
import subprocess
import sys
from io import StringIO

import pytest
import yaml
from django.conf import settings
from django.contrib import admin
from django.core.management import CommandError, call_command

from claims.models import Claim, Report
from config.env import check_deploy
from factcheck.models import FactCheck
from reviews.models import ReviewerProfile


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_with_a_bad_boolean_and_names_the_variable():
    result = _manage("check", DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_it_passes_the_deployment_checks_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="factcheck.example.org",
        SITE_URL="https://factcheck.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_production_settings_without_a_secret_key():
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="",
        ALLOWED_HOSTS="factcheck.example.org",
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_creates_and_then_updates_a_reviewer_with_add_member(db):
    call_command(
        "add_member",
        "nora",
        "--role",
        "reviewer",
        "--password",
        "s3cret-pass-word",
        "--email",
        "nora@example.org",
        "--languages",
        "en,de",
        "--topics",
        "politics,economy",
        "--capacity",
        "4",
    )
    call_command("add_member", "nora", "--role", "reviewer", "--languages", "fr", "--capacity", "2")

    profile = ReviewerProfile.objects.select_related("user").get(user__username="nora")
    assert profile.languages == ["fr"]
    assert profile.capacity == 2
    assert sorted(profile.topics.values_list("slug", flat=True)) == ["economy", "politics"]
    assert profile.user.check_password("s3cret-pass-word")
    assert profile.user.email == "nora@example.org"
    assert list(profile.user.groups.values_list("name", flat=True)) == ["reviewers"]


def test_add_member_names_the_role_in_plain_english(db):
    said = StringIO()

    call_command("add_member", "eddie", "--role", "editor", "--password", "s3cret-pass-word", stdout=said)

    assert said.getvalue().strip().endswith("eddie is an editor.")


def test_it_rejects_an_unknown_language_in_add_member(db):
    with pytest.raises(CommandError, match="Unknown language code: xx"):
        call_command("add_member", "nora", "--role", "reviewer", "--languages", "xx")


def test_it_loads_the_demo_once_with_a_published_fact_check(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    counts = (Report.objects.count(), Claim.objects.count(), FactCheck.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")

    assert (Report.objects.count(), Claim.objects.count(), FactCheck.objects.count()) == counts
    assert sorted(Claim.objects.values_list("status", flat=True)) == [
        "assigned",
        "in_review",
        "published",
        "rejected",
        "submitted",
    ]
    published = FactCheck.objects.select_related("claim").get()
    assert published.claim.text == "The talks lasted more than five hours."


def test_it_refuses_to_load_the_demo_under_production_settings(db, settings):
    settings.IS_PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert not Report.objects.exists()


def test_it_serves_the_openapi_schema_and_swagger_ui(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = client.get("/api/v1/docs/")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/claims/{id}/triage/" in paths
    assert "/api/v1/claims/{id}/approve/" in paths
    assert docs.status_code == 200


def test_it_shows_every_admin_list_to_an_editor(client, editor, desk, make_claim):
    desk.published(make_claim())
    client.force_login(editor)
    editor.is_superuser = True  # see every registered model, whatever its permissions
    editor.save()

    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url)
        assert response.status_code == 200, url


def test_it_lets_an_editor_triage_from_the_admin_through_the_same_service(
    client, editor, make_claim, reviewer, django_capture_on_commit_callbacks
):
    claim = make_claim()
    client.force_login(editor)

    to_confirm = client.post("/admin/claims/claim/", {"action": "accept_claims", "_selected_action": [claim.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(to_confirm.url, {"ids": [claim.pk], "priority": "normal"})

    assert to_confirm.status_code == 302 and response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "assigned"  # accepted, then routed after commit like the API does
    assert list(claim.events.values_list("to_status", "actor__username")) == [
        ("submitted", "jane"),
        ("queued", "eddie"),
        ("assigned", None),
    ]


def test_it_refuses_an_illegal_admin_action_with_a_message(client, editor, desk, make_claim):
    claim = make_claim()
    desk.published(claim)
    client.force_login(editor)

    to_confirm = client.post("/admin/claims/claim/", {"action": "reject_claims", "_selected_action": [claim.pk]})
    response = client.post(to_confirm.url, {"ids": [claim.pk], "reason": "Not checkable."}, follow=True)

    assert "cannot become rejected" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "published"


def test_it_fixes_a_claims_words_in_the_admin_once_it_leaves_submitted(client, editor, desk, make_claim):
    claim = make_claim()
    desk.queue(claim)
    client.force_login(editor)

    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()

    assert 'name="text"' not in page
    assert "The talks lasted more than five hours" in page


# Every environment variable the settings read is documented, and every one the docs' tables name is read.

_READS = re.compile(r"""(?:env_\w+\(|os\.environ\.get\(|os\.environ\[|getenv\()\s*(f?)["']([A-Za-z0-9_{}.()]+)["']""")


def _read_by(*folders: str, leaving_out: tuple[str, ...] = ()) -> dict[str, re.Pattern]:
    """The names these folders' code reads from the environment, each as a pattern (an f-string's fields match
    anything)."""
    names = {}
    paths = {path for folder in folders for path in (settings.BASE_DIR / folder).rglob("*.py")}
    for path in paths - {settings.BASE_DIR / left_out for left_out in leaving_out}:
        for is_f, name in _READS.findall(path.read_text()):
            literal = re.sub(r"\{[^}]*\}", "\0", name) if is_f else name
            names[name] = re.compile(".+".join(re.escape(part) for part in literal.split("\0")))
    return names


def _read_by_settings() -> dict[str, re.Pattern]:
    # What the test and bench settings read steers the suite and the benchmarks, not a deployment.
    return _read_by("config", leaving_out=("config/settings/test.py", "config/settings/bench.py"))


def _documentation() -> str:
    docs = [settings.BASE_DIR / "README.md", *sorted((settings.BASE_DIR / "docs").glob("*.md"))]
    return "\n".join(doc.read_text() for doc in docs)


def _named_in_settings_tables() -> set[str]:
    """The names in the first column of the docs' tables headed `| variable |`."""
    names, in_table = set(), False
    for line in _documentation().splitlines():
        if line.startswith("| variable |"):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and not line.startswith("|---"):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_{},]*)`", line.split("|")[1]))
    return names


def test_it_documents_every_environment_variable_it_reads():
    documented = set(re.findall(r"[A-Z][A-Z0-9_{},]*[A-Z0-9}]", _documentation()))

    undocumented = [
        name for name, pattern in _read_by_settings().items() if not any(pattern.fullmatch(d) for d in documented)
    ]

    assert undocumented == []


def test_it_reads_every_environment_variable_its_settings_tables_name():
    read = _read_by("config", "core", "claims", "factcheck", "reviews").values()
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    # DJANGO_SETTINGS_MODULE is Django's own; the Makefile's variables (WEB_WORKERS) are read by make.
    elsewhere = {"DJANGO_SETTINGS_MODULE"} | set(re.findall(r"^([A-Z_]+) \?=", makefile, re.MULTILINE))

    unread = [
        name
        for name in _named_in_settings_tables()
        if name not in elsewhere and not any(pattern.fullmatch(name) for pattern in read)
    ]

    assert unread == []


# docker-compose.yml: migrations before anything runs, health checks, workers split by queue as the docs say.


def _compose() -> dict:
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())["services"]


def test_compose_runs_migrations_once_before_any_process_that_uses_the_database():
    services = _compose()

    assert services["migrate"]["command"] == "python manage.py migrate --noinput"
    assert "migrate" not in services["web"]["command"]
    for name in ("web", "worker", "worker-outbound", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name


def test_compose_waits_only_on_conditions_its_services_can_meet():
    services = _compose()

    for name, service in services.items():
        for needed, how in (service.get("depends_on") or {}).items():
            assert needed in services, (name, needed)
            assert how["condition"] in {"service_started", "service_healthy", "service_completed_successfully"}
            if how["condition"] == "service_healthy":
                assert "healthcheck" in services[needed], (name, needed)
            if how["condition"] == "service_completed_successfully":
                assert services[needed].get("restart", "no") == "no", needed  # a one-shot that exits
    for name in ("postgres", "redis", "web"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz/" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_commands_are_the_documented_ones():
    documented = _documentation() + (settings.BASE_DIR / "Makefile").read_text()

    for name, service in _compose().items():
        if "command" in service:
            program = " ".join(service["command"].split()[: 4 if service["command"].startswith("celery") else 3])
            assert program in documented, (name, program)


def test_compose_splits_the_workers_by_queue_as_the_docs_advise():
    queues_of = {}
    for name, service in _compose().items():
        words = service.get("command", "").split()
        if words[:4] == ["celery", "-A", "config", "worker"]:
            queues_of[name] = set(words[words.index("-Q") + 1].split(","))

    # Every queue has a consumer, and slow outbound HTTP (webhooks) has a worker of its own (docs/operations.md).
    assert set().union(*queues_of.values()) == {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert {"webhooks"} in queues_of.values()
    assert [name for name, service in _compose().items() if " beat" in service.get("command", "")] == ["beat"]


def test_the_example_environment_names_what_production_requires():
    example = (settings.BASE_DIR / ".env.example").read_text()
    names = set(re.findall(r"^([A-Z_]+)=", example, re.MULTILINE))

    assert {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "REDIS_URL", "CACHE_URL", "TRUSTED_PROXY_COUNT"} <= names
    assert "SITE_URL=https://" in example


# make check-deploy: the deployment checks on the operator's own configuration.


def _check_deploy(env_file, monkeypatch, capfd) -> tuple[int, str]:
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(settings.BASE_DIR)
    done = check_deploy(str(env_file), [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    out, err = capfd.readouterr()
    return done, out + err


def test_check_deploy_names_the_variables_to_set_without_an_env_file(tmp_path, monkeypatch, capfd):
    done, said = _check_deploy(tmp_path / ".env", monkeypatch, capfd)

    assert done != 0
    assert "set SECRET_KEY, ALLOWED_HOSTS, SITE_URL, REDIS_URL or CELERY_BROKER_URL, CACHE_URL" in said


def test_check_deploy_checks_the_env_file_as_written(tmp_path, monkeypatch, capfd):
    example = (settings.BASE_DIR / ".env.example").read_text()
    copied, edited = tmp_path / "copied.env", tmp_path / "edited.env"
    copied.write_text(example)
    edited.write_text(re.sub(r"(?m)^SECRET_KEY=.*$", f"SECRET_KEY='{secrets.token_urlsafe(64)}'", example))

    refused, said = _check_deploy(copied, monkeypatch, capfd)
    assert refused != 0
    assert "SECRET_KEY must be set to a random value" in said

    passed, said = _check_deploy(edited, monkeypatch, capfd)
    assert passed == 0, said
    assert "no issues" in said
