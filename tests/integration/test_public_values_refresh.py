"""After a publication a real worker counts the public list's filter choices again, so that no reader does."""

import time

import pytest

from core import freshness
from factcheck.site.cache import _release
from factcheck.site.choices import filter_choices
from tests.integration.conftest import CeleryProcess
from tests.redis_caches import use_redis_cache

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHOICES_KEY = f"factcheck:filter-choices:{_release()}"


@pytest.fixture
def shared_cache(settings, real_broker) -> str:
    return use_redis_cache(settings, "the worker and the test share a Redis cache")


def test_the_worker_refreshes_the_filter_choices_a_publication_put_out_of_date(shared_cache, tmp_path):
    worker = CeleryProcess(
        tmp_path / "worker.log",
        "worker",
        "-Q",
        "default",
        "--without-gossip",
        "--without-mingle",
        env={
            "DJANGO_SETTINGS_MODULE": "tests.integration.worker_shared_cache_settings",
            "TEST_SHARED_CACHE_PREFIX": shared_cache,
        },
    ).start()
    try:
        worker.wait_for_log(" ready.", timeout_s=60)
        filter_choices()  # counted once, by a reader
        freshness.invalidate_public_pages()  # outside a transaction: the stamp moves and the task goes now

        deadline = time.monotonic() + 30
        while freshness.read_stamped(CHOICES_KEY)[1] is None and time.monotonic() < deadline:
            time.sleep(0.1)

        assert freshness.read_stamped(CHOICES_KEY)[1] is not None, worker.log()[-3000:]
        assert "factcheck.refresh_public_values" in worker.log()
        worker.wait_for_log("succeeded", timeout_s=10)  # logged after the task stored the choices and returned
    finally:
        worker.stop()
