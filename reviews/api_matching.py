"""API v1 for what report ingestion and matching add to the desk: a report's ranked candidate sentences, fetching a
failed report again, the earlier claims and verdicts closest to a claim or to any text, and marking duplicates.
Each view finds the object among those the caller may see (else 404) and calls one service or selector."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from claims import duplicates
from claims.ingest import selectors as ingest_selectors
from claims.ingest import services as ingest_services
from claims.ingest.serializers import (
    CandidateSerializer,
    DuplicateInputSerializer,
    SimilarItemSerializer,
    SimilarQueryInputSerializer,
)
from claims.models import Claim, Report
from claims.serializers import ReportSerializer
from claims.similar import similar_to_text
from core.errors import IllegalTransition
from core.idempotency import IDEMPOTENCY_KEY_PARAMETER, IDEMPOTENCY_RESPONSES, idempotent
from core.openapi import errors, example
from core.text import whole_number
from reviews import selectors
from reviews.claim_serializers import DeskClaimSerializer

WRITE_ERRORS = {**errors(400, 401, 403, 404, 409), 422: IDEMPOTENCY_RESPONSES[422]}
MAX_CANDIDATES = 1000
LIMIT = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": MAX_CANDIDATES},
    description=f"At most this many, 1 to {MAX_CANDIDATES} (default: all sentences).",
)


def _limit(request: Request) -> int | None:
    """The `limit` parameter; anything but a whole number from 1 to MAX_CANDIDATES is a 400, as `claims/similar/`
    answers (0 and -1 were read as 1 and as no limit)."""
    given = request.query_params.get("limit", "")
    if given == "":
        return None
    number = whole_number(given)
    if number is None or not 1 <= number <= MAX_CANDIDATES:
        raise ValidationError({"limit": [f"Must be a whole number from 1 to {MAX_CANDIDATES}."]})
    return number


@extend_schema(responses={200: CandidateSerializer(many=True), **errors(400, 401, 404, 409)}, parameters=[LIMIT])
@api_view(["GET"])
def report_candidates(request: Request, pk: int) -> Response:
    """The report's sentences ranked by check-worthiness, with offsets and the closest earlier claim or verdict.
    409 while the report is still being fetched, or when its URL could not be read (the reason is given)."""
    report = get_object_or_404(selectors.reports_visible_to(request.user), pk=pk)
    if report.status == Report.Status.FETCHING:
        raise IllegalTransition("The report is still being fetched; its sentences come once it is read.")
    if report.status == Report.Status.FAILED:
        raise IllegalTransition(f"The report could not be read: {report.failure}")
    candidates = ingest_selectors.report_candidates(report, viewer=request.user, limit=_limit(request))
    return Response(CandidateSerializer(candidates, many=True).data)


@extend_schema(request=None, responses={200: ReportSerializer, **WRITE_ERRORS}, parameters=[IDEMPOTENCY_KEY_PARAMETER])
@api_view(["POST"])
@idempotent
def fetch_again(request: Request, pk: int) -> Response:
    """Fetch a failed report's URL once more; the answer's `status` is `fetching`."""
    report = get_object_or_404(selectors.reports_visible_to(request.user), pk=pk)
    report = ingest_services.retry_fetching(report_id=report.pk, user=request.user)
    return Response(ReportSerializer(report).data)


@extend_schema(responses={200: SimilarItemSerializer(many=True), **errors(401, 404)})
@api_view(["GET"])
def claim_similar(request: Request, pk: int) -> Response:
    """The earlier claims, our fact-checks and other publishers' fact-checks closest to this claim, best first."""
    claim = get_object_or_404(selectors.claims_visible_to(request.user), pk=pk)
    items = similar_to_text(claim.text, language=claim.language, user=request.user, exclude_claim=claim.pk)
    return Response(SimilarItemSerializer(items, many=True).data)


@extend_schema(
    request=SimilarQueryInputSerializer,
    responses={200: SimilarItemSerializer(many=True), **errors(400, 401)},
    examples=[example("Free text", {"text": "The talks lasted more than five hours", "language": "en"})],
)
@api_view(["POST"])
def similar_search(request: Request) -> Response:
    """Has this been checked already? The closest earlier claims and fact-checks to any text, best first."""
    data = SimilarQueryInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    query = data.validated_data
    items = similar_to_text(query["text"], language=query["language"], user=request.user, limit=query["limit"])
    return Response(SimilarItemSerializer(items, many=True).data)


@extend_schema(
    request=DuplicateInputSerializer,
    parameters=[IDEMPOTENCY_KEY_PARAMETER],
    responses={200: DeskClaimSerializer, **WRITE_ERRORS},
    examples=[example("Duplicate", {"canonical": 12, "note": "Same figure, same speech."})],
)
@api_view(["POST"])
@idempotent
def mark_duplicate(request: Request, pk: int) -> Response:
    """An editor rejects a submitted claim as a duplicate of another; it then shows that claim's verdict."""
    claim = get_object_or_404(selectors.claims_visible_to(request.user), pk=pk)
    data = DuplicateInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    given = data.validated_data
    duplicates.mark_duplicate(
        claim_id=claim.pk, canonical_id=given["canonical"], editor=request.user, note=given["note"]
    )
    return Response(DeskClaimSerializer(Claim.objects.with_api_relations().get(pk=claim.pk)).data)
