"""GET /healthz/ tells a load balancer or monitor whether this process can do its job: 200, or 503 naming what
failed (the database, the broker, a sweep that stopped running)."""

import os
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from reviews.models import LastSweep
from reviews.services import sla


def closed_loopback_port() -> int:
    """A port on loopback that nothing listens on: a broker there refuses every connection at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def with_a_broker(settings):
    """The settings of a deployment with a broker and beat, not the in-process default."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.HEALTH_SWEEP_MAX_AGE_SECONDS = 300
    return settings


def test_it_is_healthy_in_the_embedded_default(client, db):
    answer = client.get("/healthz/")

    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert answer.json()["checks"]["database"] == {"ok": True}
    assert "no-cache" in answer["Cache-Control"]


def test_it_records_when_the_sweep_last_finished(db):
    before = timezone.now()

    sla.sweep()

    assert LastSweep.objects.get(pk=1).finished_at >= before


def test_it_names_a_sweep_that_never_ran_or_stopped(client, db, with_a_broker, monkeypatch):
    monkeypatch.setattr("reviews.health._broker", lambda: {"ok": True})  # the broker is the next test's subject

    never = client.get("/healthz/")
    LastSweep.objects.create(pk=1, finished_at=timezone.now() - timedelta(minutes=10))
    stale = client.get("/healthz/")
    sla.sweep()
    fresh = client.get("/healthz/")

    assert never.status_code == 503 and never.json()["failed"] == ["sweep"]
    assert "never finished" in never.json()["checks"]["sweep"]["error"]
    assert stale.status_code == 503 and stale.json()["checks"]["sweep"]["age_seconds"] >= 600
    assert fresh.status_code == 200 and fresh.json()["checks"]["sweep"]["age_seconds"] < 60


def test_it_names_a_broker_that_refuses_connections(client, db, with_a_broker):
    with_a_broker.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_loopback_port()}/0"
    LastSweep.objects.create(pk=1, finished_at=timezone.now())

    answer = client.get("/healthz/")

    body = answer.json()
    assert answer.status_code == 503
    assert body["failed"] == ["broker"]
    assert body["checks"]["broker"]["ok"] is False and body["checks"]["broker"]["error"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis named by REDIS_URL")
def test_it_reaches_a_running_broker(client, db, with_a_broker):
    with_a_broker.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    LastSweep.objects.create(pk=1, finished_at=timezone.now())

    answer = client.get("/healthz/")

    assert answer.status_code == 200, answer.json()
    assert answer.json()["checks"]["broker"] == {"ok": True}


def test_it_names_a_shared_cache_that_does_not_answer(client, db, settings):
    # Rate limits and sign-in lockouts count in the cache: without it they stop silently, and pages go uncached.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.SharedClientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_loopback_port()}/9",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    answer = client.get("/healthz/")

    assert answer.status_code == 503
    assert answer.json()["failed"] == ["cache"]
    assert "ConnectionError" in answer.json()["checks"]["cache"]["error"]
