"""The web benchmark's URL map (config.settings.bench only): the project's URLs plus ceiling views under /bench/.

A ceiling answers what an endpoint answers with as little as Django allows, through the same middleware and server:
one `.values()` query serialised by orjson for the JSON lists, one INSERT for the claim submission, and a constant
body of the page's size for the pages. bench/web.py prints each endpoint's rate as a share of its ceiling's.
"""

from functools import lru_cache

import orjson
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from claims.models import Claim
from config.urls import urlpatterns as project_urlpatterns
from factcheck.record.models import FactCheck

PAGE_SIZE = 25
MAX_PAGE_BYTES = 16 * 1024 * 1024
FACT_CHECK_FIELDS = (
    "slug",
    "published_at",
    "updated_at",
    "retracted_at",
    "claim__text",
    "claim__language",
    "current_version__number",
    "current_version__rating_label",
    "current_version__rating_value",
    "current_version__claimant_name",
    "current_version__summary",
    "current_version__explanation",
    "current_version__sources",
)
CLAIM_FIELDS = (
    "id",
    "text",
    "status",
    "language",
    "priority",
    "checkworthiness",
    "claim_date",
    "created_at",
    "report_id",
    "claimant__name",
    "submitted_by__username",
)


def _json(data: object, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), content_type="application/json", status=status)


def fact_checks_ceiling(request: HttpRequest) -> HttpResponse:
    rows = FactCheck.objects.exclude(current_version=None).order_by("-published_at", "-id")
    return _json({"results": list(rows.values(*FACT_CHECK_FIELDS)[:PAGE_SIZE])})


def claims_ceiling(request: HttpRequest) -> HttpResponse:
    rows = Claim.objects.order_by("-created_at", "-id")
    if status := request.GET.get("status"):
        rows = rows.filter(status=status)
    return _json({"results": list(rows.values(*CLAIM_FIELDS)[:PAGE_SIZE])})


@lru_cache(maxsize=1)
def _journalist_id() -> int:
    return get_user_model().objects.get(username=settings.BENCH_JOURNALIST).pk


@csrf_exempt
def submit_ceiling(request: HttpRequest) -> HttpResponse:
    body = orjson.loads(request.body)
    claim = Claim.objects.create(text=body["text"], language=body["language"], submitted_by_id=_journalist_id())
    return _json({"id": claim.pk, "text": claim.text, "status": claim.status}, status=201)


@lru_cache(maxsize=64)
def _body(size: int) -> bytes:
    return b"x" * size


def page_ceiling(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("bytes", "")
    size = min(int(raw), MAX_PAGE_BYTES) if raw.isdigit() else 0
    return HttpResponse(_body(size), content_type="text/html; charset=utf-8")


CEILING_VIEWS = (fact_checks_ceiling, claims_ceiling, submit_ceiling, page_ceiling)

urlpatterns = [
    path("bench/ceiling/fact-checks.json", fact_checks_ceiling, name="bench-ceiling-fact-checks"),
    path("bench/ceiling/claims.json", claims_ceiling, name="bench-ceiling-claims"),
    path("bench/ceiling/claims/", submit_ceiling, name="bench-ceiling-submit"),
    path("bench/ceiling/page", page_ceiling, name="bench-ceiling-page"),
    *project_urlpatterns,
]
