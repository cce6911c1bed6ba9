"""Every request has an id: answered in X-Request-ID, written on each log line and carried into the Celery tasks the
request causes, even those sent after its commit; a task that no request caused (beat) goes by its own id."""

import io
import json
import logging
import os
import re
import secrets
import subprocess
import sys
import threading
from types import SimpleNamespace

import pytest
from celery.signals import task_prerun
from django.core.exceptions import ImproperlyConfigured

from config.celery import app
from core import dispatch, requestid
from core.logging import JsonFormatter, RequestContextFilter, logging_config
from core.models import OutboxEvent
from core.names import Event, Task
from factcheck.models import WebhookEndpoint

HEADER = "X-Request-ID"


@pytest.fixture
def json_lines():
    """Log lines as production writes them (the root logger at INFO, through the JSON formatter), parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield read
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def task_starts():
    """(task name, request id current inside the task) for each task that starts."""
    seen: list[tuple[str, str | None]] = []
    started = threading.Event()

    def record(task=None, **kwargs):
        seen.append((task.name, requestid.request_id.get()))
        started.set()

    task_prerun.connect(record, weak=False, dispatch_uid="tests.request_ids.record")
    yield SimpleNamespace(seen=seen, started=started)
    task_prerun.disconnect(dispatch_uid="tests.request_ids.record")


def test_it_gives_every_answer_a_request_id(db, client):
    first = client.get("/healthz/")
    second = client.get("/no-such-page/")
    assert len(first[HEADER]) == 32 and int(first[HEADER], 16) >= 0
    assert second[HEADER] != first[HEADER]
    assert requestid.request_id.get() is None  # the test's thread carries nothing over after the request


def test_it_keeps_a_sane_incoming_id(db, client):
    answer = client.get("/healthz/", headers={HEADER: "edge-7f3a:9c/2026+A=b_c.d"})
    assert answer[HEADER] == "edge-7f3a:9c/2026+A=b_c.d"


@pytest.mark.parametrize("unsafe", ["", "two words", "x" * 129, "заявка-1", "标识", "a\tb", "é"])
def test_it_replaces_an_unsafe_incoming_id(db, client, unsafe):
    answer = client.get("/healthz/", headers={HEADER: unsafe})
    assert re.fullmatch("[0-9a-f]{32}", answer[HEADER])  # a new one


def test_it_writes_a_json_line_with_the_request_id_of_a_view(db, client, json_lines):
    client.get("/no-such-page/", headers={HEADER: "req-404"})
    [line] = [entry for entry in json_lines() if entry["logger"] == "django.request"]
    assert line["request_id"] == "req-404"
    assert line["level"] == "WARNING" and line["message"] == "Not Found: /no-such-page/"
    assert line["status_code"] == 404
    assert {"time", "task_id"} & set(line) == {"time"}  # no task fields outside a task


def test_it_writes_exceptions_and_any_script_as_one_json_object(json_lines):
    with requestid.bound("req-1"):
        try:
            raise ValueError("Дата «١٤ مارس» 不对")
        except ValueError:
            logging.getLogger("claims").exception("Заявление %s: अमान्य", "Путин")
    [line] = json_lines()
    assert line["message"] == "Заявление Путин: अमान्य"
    assert line["request_id"] == "req-1"
    assert "ValueError: Дата «١٤ مارس» 不对" in line["exception"]


def test_it_names_the_request_in_text_lines_too():
    record = logging.LogRecord("claims", logging.INFO, __file__, 1, "кто: %s", ("رأي",), None)
    with requestid.bound("req-text"):
        RequestContextFilter().filter(record)
    text = logging.Formatter(logging_config("text", "INFO")["formatters"]["text"]["format"]).format(record)
    assert text.endswith("INFO claims [req-text] кто: رأي")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_logs_a_task_enqueued_by_a_request_with_the_request_id(api, editor, make_claim, json_lines):
    """A real commit inside the request sends the routing task (eager here); no reviewer exists, so it logs."""
    claim = make_claim(text="Переговоры длились более пяти часов", language="ru")
    answer = api(editor).post(
        f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept"}, format="json", headers={HEADER: "req-triage"}
    )
    assert answer.status_code == 200 and answer[HEADER] == "req-triage"
    [line] = [entry for entry in json_lines() if "no eligible reviewer" in entry["message"]]
    assert line["request_id"] == "req-triage"
    assert line["task_name"] == Task.ROUTE_CLAIM and line["task_id"]
    assert requestid.current_task.get() is None


def test_it_sends_work_with_the_request_id_whenever_the_commit_runs(
    api, editor, make_claim, monkeypatch, django_capture_on_commit_callbacks
):
    """The outbox's event is sent after the commit; here the callbacks run after the request has finished."""
    WebhookEndpoint.objects.create(
        url="https://93.184.215.14/hook", secret="s" * 32, events=[Event.CLAIM_STATUS_CHANGED.value], created_by=editor
    )
    sent = []
    monkeypatch.setattr(dispatch, "send", lambda name, *args: sent.append((name, requestid.request_id.get())))
    claim = make_claim()
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(editor).post(
            f"/api/v1/claims/{claim.pk}/triage/", {"decision": "reject", "reason": "Opinion."}, headers={HEADER: "r-9"}
        )
        assert answer.status_code == 200
        assert requestid.request_id.get() is None  # the request is over before its callbacks run
    assert OutboxEvent.objects.filter(name=Event.CLAIM_STATUS_CHANGED).exists()
    assert (Task.EMIT_EVENT, "r-9") in sent


def test_it_runs_an_eager_background_task_with_the_request_id(settings, task_starts):
    settings.EAGER_TASKS_IN_BACKGROUND = frozenset({Task.NOOP})
    with requestid.bound("req-bg"):
        assert dispatch.send(Task.NOOP)
    assert task_starts.started.wait(5)
    assert task_starts.seen == [(Task.NOOP, "req-bg")]


def test_it_gives_a_task_that_no_request_sent_its_own_task_id(task_starts):
    result = app.tasks[Task.NOOP].apply()
    assert task_starts.seen == [(Task.NOOP, result.id)]
    assert requestid.request_id.get() is None


def test_it_puts_the_id_in_the_message_and_the_worker_takes_it_from_there():
    headers: dict = {}
    requestid.add_to_message(headers=headers)
    assert headers == {}  # nothing current, nothing sent: the worker will use the task's id
    with requestid.bound("req-msg"):
        requestid.add_to_message(headers=headers)
    assert headers == {"request_id": "req-msg"}

    # In a worker, a message's own headers are attributes of task.request.
    task = SimpleNamespace(name=Task.ROUTE_CLAIM, request=SimpleNamespace(is_eager=False, request_id="req-msg"))
    requestid.enter_task(task_id="t-1", task=task)
    assert (requestid.request_id.get(), requestid.current_task.get()) == ("req-msg", ("t-1", Task.ROUTE_CLAIM))
    requestid.leave_task(task=task)
    assert (requestid.request_id.get(), requestid.current_task.get()) == (None, None)

    forged = SimpleNamespace(name=Task.NOOP, request=SimpleNamespace(is_eager=False, request_id="bad id\n"))
    requestid.enter_task(task_id="t-2", task=forged)
    assert requestid.request_id.get() == "t-2"
    requestid.leave_task(task=forged)


# The settings behind it: the log format by environment.


def test_it_logs_text_in_development_and_json_in_production(monkeypatch, read_base_settings):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert read_base_settings()["LOG_FORMAT"] == "text"
    assert read_base_settings(LOG_FORMAT="json")["LOGGING"] == logging_config("json", "INFO")
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        read_base_settings(LOG_FORMAT="xml")

    monkeypatch.delenv("LOG_FORMAT")
    production = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "factcheck.example.org",
        "SITE_URL": "https://factcheck.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "redis://127.0.0.1:6379/4",
    }
    read = "from django.conf import settings; print(settings.LOGGING['handlers']['console']['formatter'])"
    done = subprocess.run([sys.executable, "-c", read], env=production, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "json"
