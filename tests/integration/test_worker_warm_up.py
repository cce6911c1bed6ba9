"""A restarted worker's first report does not wait for the matcher: each pool process of a worker that takes report
tracking reads the index as it starts, and a worker that only routes or mails does not spend the memory."""

import time

import pytest

from claims.matching import DocumentInput, upsert_documents
from tests.integration.conftest import CeleryProcess

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

READY_LINE = "matcher index desk ready"


def _worker(tmp_path, name: str, *queues: str) -> CeleryProcess:
    args = ["worker", "-n", f"{name}@%h", "-c", "2", "--without-gossip", "--without-mingle", *queues]
    return CeleryProcess(tmp_path / f"{name}.log", *args, env={"MATCHING_WARM_UP": "true"}).start()


def _wait_for_lines(worker: CeleryProcess, text: str, count: int, timeout_s: float = 60) -> list[str]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        lines = [line for line in worker.log().splitlines() if text in line]
        if len(lines) >= count:
            return lines
        time.sleep(0.2)
    raise AssertionError(f"{count} x {text!r} not logged:\n{worker.log()[-3000:]}")


def test_each_process_of_a_tracking_worker_reads_the_index_before_any_task(real_broker, tmp_path):
    upsert_documents([DocumentInput("fact_check", 1, "5G mobile phone masts spread the coronavirus", "en")])
    tracking = _worker(tmp_path, "tracking")  # every queue, as the single-machine setup runs it
    routing_only = _worker(tmp_path, "routing", "-Q", "routing,notifications")
    try:
        tracking.wait_for_log(" ready.")
        routing_only.wait_for_log(" ready.")

        lines = _wait_for_lines(tracking, READY_LINE, count=2)
        time.sleep(1)  # the routing worker started with it and had as long to load the same rows

        assert {line.split("/")[1].split("]")[0] for line in lines} == {"ForkPoolWorker-1", "ForkPoolWorker-2"}
        assert READY_LINE not in routing_only.log()
    finally:
        tracking.stop()
        routing_only.stop()
