"""GET /healthz/: is this process able to do its job? The database answers, the broker takes connections, the shared
cache keeps what it is given (rate limits and sign-in lockouts count there: without it they silently stop), and the
queue sweep (celery beat) ran recently. 200 when all hold, 503 naming each that does not, for a load balancer or a
monitor. Cheap enough to poll every few seconds, and never cached."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

from reviews.models import LastSweep

BROKER_TIMEOUT_SECONDS = 2


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}".strip()}
    return {"ok": True}


def _broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "detail": "no broker: tasks run in this process"}
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:  # kombu raises its transport's own errors: any of them means no broker
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}".strip()}
    return {"ok": True}


def _cache() -> dict:
    probe = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(probe, "ok", timeout=10)
        kept = cache.get(probe) == "ok"
        cache.delete(probe)
    except Exception as exc:  # each cache backend raises its client's own errors: any of them means no cache
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}".strip()}
    return {"ok": True} if kept else {"ok": False, "error": "the cache did not keep a value it was given"}


def _sweep(database_ok: bool) -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "detail": "no beat: the sweep is not scheduled in this setup"}
    if not database_ok:
        return {"ok": False, "error": "unknown: the database does not answer"}
    last = LastSweep.objects.filter(pk=1).first()
    if last is None:
        return {"ok": False, "error": "the queue sweep has never finished: is celery beat running?"}
    age = (timezone.now() - last.finished_at).total_seconds()
    limit = timedelta(seconds=settings.HEALTH_SWEEP_MAX_AGE_SECONDS).total_seconds()
    if age > limit:
        return {"ok": False, "age_seconds": round(age), "error": f"the last sweep finished {round(age)} s ago"}
    return {"ok": True, "age_seconds": round(age), "failed_rows": last.failed}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database()
    checks = {"database": database, "broker": _broker(), "cache": _cache(), "sweep": _sweep(database["ok"])}
    failed = [name for name, check in checks.items() if not check["ok"]]
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)
