"""The web benchmark's URL map (config.settings.bench only): the project's URLs plus ceiling views under /bench/.

A ceiling answers what an endpoint answers with as little as Django allows, through the same middleware and server:
`.values()` queries serialised by orjson for the JSON lists, one INSERT for the claim submission, and a constant
body of the page's size for the pages. bench/web.py prints each endpoint's rate as a share of its ceiling's.

The claims ceiling answers the same `results` as the editor's `GET /api/v1/claims/`, byte for byte
(tests/api/test_bench_ceilings.py): the claims, their topics, history and verdicts, one `.values()` query each, with no
authentication, throttling, filtering or paging. What the endpoint spends beyond it is the framework's and ours.
The fact-checks ceiling reads only the list's columns: building each ClaimReview is not a query's work.
"""

from functools import lru_cache

import orjson
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from claims.models import Claim, ClaimEvent
from config.urls import urlpatterns as project_urlpatterns
from factcheck.record.models import FactCheck
from reviews.claim_serializers import DeskClaimSerializer

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
    "report_id",
    "quote",
    "quote_start",
    "quote_end",
    "claimant__name",
    "claim_date",
    "language",
    "status",
    "priority",
    "checkworthiness",
    "submitted_by__username",
    "created_at",
    "duplicate_of_id",
)
# The answer's keys in the endpoint's order.
CLAIM_ANSWER = tuple(DeskClaimSerializer.Meta.fields)
# The endpoints' names for columns that have others.
RENAMED = {
    "report_id": "report",
    "claimant__name": "claimant",
    "submitted_by__username": "submitted_by",
    "duplicate_of_id": "duplicate_of",
    "from_status": "from",
    "to_status": "to",
    "actor__username": "actor",
}
EVENT_FIELDS = ("claim_id", "from_status", "to_status", "actor__username", "at", "note")


def _json(data: object, status: int = 200) -> HttpResponse:
    # UTC as "Z", as the endpoints write it.
    return HttpResponse(orjson.dumps(data, option=orjson.OPT_UTC_Z), content_type="application/json", status=status)


def _renamed(row: dict) -> dict:
    return {RENAMED.get(name, name): value for name, value in row.items()}


def fact_checks_ceiling(request: HttpRequest) -> HttpResponse:
    rows = FactCheck.objects.exclude(current_version=None).order_by("-published_at", "-id")
    return _json({"results": list(rows.values(*FACT_CHECK_FIELDS)[:PAGE_SIZE])})


def claims_ceiling(request: HttpRequest) -> HttpResponse:
    rows = Claim.objects.order_by("-created_at", "-id")
    if status := request.GET.get("status"):
        rows = rows.filter(status=status)
    claims = [_renamed(row) for row in rows.values(*CLAIM_FIELDS)[:PAGE_SIZE]]
    ids = [claim["id"] for claim in claims]
    topics: dict[int, list[str]] = {}
    for link in (
        Claim.topics.through.objects.filter(claim_id__in=ids)
        .order_by("topic__name", "topic_id")
        .values("claim_id", "topic__slug")
    ):
        topics.setdefault(link["claim_id"], []).append(link["topic__slug"])
    history: dict[int, list[dict]] = {}
    for event in ClaimEvent.objects.filter(claim_id__in=ids).order_by("at", "id").values(*EVENT_FIELDS):
        history.setdefault(event.pop("claim_id"), []).append(_renamed(event))
    followed = {claim["id"]: claim["duplicate_of"] or claim["id"] for claim in claims}
    verdicts = {
        row["claim_id"]: {
            "slug": row["slug"],
            "url": FactCheck(slug=row["slug"]).public_url,
            "rating": None if row["retracted_at"] else row["current_version__rating_label"],
        }
        for row in FactCheck.objects.filter(claim_id__in=set(followed.values()))
        .exclude(current_version=None)
        .values("claim_id", "slug", "retracted_at", "current_version__rating_label")
    }
    for claim in claims:
        claim["topics"] = topics.get(claim["id"], [])
        claim["history"] = history.get(claim["id"], [])
        claim["verdict"] = verdicts.get(followed[claim["id"]])
    return _json({"results": [{name: claim[name] for name in CLAIM_ANSWER} for claim in claims]})


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
