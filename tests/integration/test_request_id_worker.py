"""The request id on real services: a `celery -A config worker` writing JSON logs names the request that sent it work,
and a task that no request sent (as beat sends them) by its own id."""

import json
import time

import pytest

from config.celery import app as celery_app
from core.names import Task
from tests.conftest import PASSWORD
from tests.integration.conftest import CeleryProcess

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def json_worker(real_broker, tmp_path):
    """A worker started as production runs it: LOG_FORMAT=json."""
    worker = CeleryProcess(
        tmp_path / "worker.log", "worker", "-c", "2", "--without-gossip", "--without-mingle", env={"LOG_FORMAT": "json"}
    ).start()
    worker.wait_for_log(" ready.")
    yield worker
    worker.stop()


def _lines(worker: CeleryProcess) -> list[dict]:
    lines = []
    for line in worker.log().splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def _wait_for_line(worker: CeleryProcess, wanted, timeout_s: float = 15) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for line in _lines(worker):
            if wanted(line):
                return line
        time.sleep(0.1)
    raise AssertionError(f"no such line in the worker's log:\n{worker.log()[-3000:]}")


def _token_client(api, username):
    client = api()
    answer = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


def test_it_logs_a_task_sent_by_a_request_with_the_request_id_in_the_worker(json_worker, api, journalist, editor):
    as_journalist = _token_client(api, journalist.username)
    created = as_journalist.post(
        "/api/v1/claims/", {"text": "Переговоры длились более пяти часов", "language": "ru"}, format="json"
    )
    claim_id = created.json()["id"]

    # No reviewer works in Russian: the routing task, in the worker, logs that the claim stays queued.
    answer = _token_client(api, editor.username).post(
        f"/api/v1/claims/{claim_id}/triage/", {"decision": "accept"}, format="json", headers={"X-Request-ID": "edge-42"}
    )
    assert answer.status_code == 200 and answer["X-Request-ID"] == "edge-42"

    line = _wait_for_line(json_worker, lambda line: f"claim {claim_id} stays queued" in line["message"])
    assert line["request_id"] == "edge-42"
    assert line["task_name"] == Task.ROUTE_CLAIM
    done = _wait_for_line(
        json_worker,
        lambda line: line["message"].startswith(f"Task {Task.ROUTE_CLAIM}[") and "succeeded" in line["message"],
    )
    assert done["request_id"] == "edge-42"
    assert done["level"] == "INFO" and done["time"].endswith("+00:00")


def test_it_logs_a_task_that_no_request_sent_with_its_own_id(json_worker):
    task_id = celery_app.send_task(Task.NOOP).id
    line = _wait_for_line(json_worker, lambda line: "succeeded" in line["message"] and task_id in line["message"])
    assert line["request_id"] == task_id
    assert (line["task_id"], line["task_name"]) == (task_id, Task.NOOP)
