"""API v1 for reports and claims as the desk sees them: submission, edits while submitted, triage, history, and the
editor's corrections and retractions of a published verdict.

Who sees which claim depends on the desk's assignments, so these views live with the desk; each one validates,
calls one service of the app that owns the change, and answers.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from claims import history, services
from claims.filters import ClaimFilter, ReportFilter
from claims.models import Claim, Report
from claims.serializers import (
    ClaimEditInputSerializer,
    ClaimEventSerializer,
    ClaimInputSerializer,
    ReportInputSerializer,
    ReportSerializer,
    TriageInputSerializer,
)
from claims.similar import already_fact_checked
from core.idempotency import IDEMPOTENCY_KEY_PARAMETER, IDEMPOTENCY_RESPONSES, idempotent
from core.openapi import LIST_ERRORS, errors, example
from core.renderers import OrjsonRenderer
from factcheck.record import selectors as record_selectors
from factcheck.record import services as publishing
from factcheck.record.serializers import CorrectionInputSerializer, FactCheckSerializer, RetractInputSerializer
from reviews import selectors
from reviews.api_sources import source_inputs
from reviews.claim_serializers import CLAIM_COLUMNS, DeskClaimSerializer, NewClaimSerializer, desk_claim_answers

# Every creating or transitioning POST honours Idempotency-Key (a retry replays the first answer; the same key on
# another request is 422), and a repeat without a key is 409 once the first has moved the claim on.
KEYED = [IDEMPOTENCY_KEY_PARAMETER]
REPORT_COLUMNS = [*ReportSerializer.Meta.fields, "submitted_by_id"]
KEY_REUSED = {422: IDEMPOTENCY_RESPONSES[422]}
WRITE_ERRORS = {**errors(400, 401, 403, 404, 409), **KEY_REUSED}


class DeskClaimFilter(ClaimFilter):
    rating = filters.CharFilter(
        field_name="fact_check__current_version__rating__slug", help_text="Rating slug of the published verdict."
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue", help_text="With a reviewer and past the verdict's due time."
    )

    def filter_overdue(self, queryset, name, value):
        overdue = selectors.overdue_claim_ids(timezone.now())
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


REPORT_EXAMPLE = example(
    "Report with its text",
    {
        "url": "https://news.example.org/summit",
        "headline": "Summit ends",
        "outlet": "Example News",
        "language": "en",
        "body": "The summit cost 40 million euros, officials said.",
    },
)


@extend_schema_view(
    list=extend_schema(responses={200: ReportSerializer, **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: ReportSerializer, **errors(401, 404)}),
)
class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Journalists see the reports they submitted or that hold claims they see; reviewers those of claims assigned
    to them; editors all."""

    queryset = Report.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    search_fields = ["headline", "outlet", "url"]
    ordering_fields = ["created_at", "published_at"]
    keyset_ordering = ("-created_at", "-id")  # report_newest_idx

    def get_queryset(self):
        # Of the submitter, the answer shows only the username.
        return (
            selectors.reports_visible_to(self.request.user)
            .select_related("submitted_by")
            .only(*REPORT_COLUMNS, "submitted_by__username")
        )

    @extend_schema(
        request=ReportInputSerializer,
        parameters=KEYED,
        responses={201: ReportSerializer, 200: ReportSerializer, **errors(400, 401, 403), **IDEMPOTENCY_RESPONSES},
        examples=[REPORT_EXAMPLE],
    )
    @idempotent
    def create(self, request):
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.submit_report(user=request.user, **data.validated_data)
        # The same article submitted again is the report already here: 200, not a second one.
        code = status.HTTP_200_OK if report.found_existing else status.HTTP_201_CREATED
        return Response(ReportSerializer(report).data, status=code)


CLAIM_EXAMPLE = example(
    "Claim from a report",
    {
        "text": "The summit cost 40 million euros",
        "report": 1,
        "quote": "The summit cost 40 million euros",
        "claimant": "Officials",
        "claim_date": "2026-03-14",
        "language": "en",
        "topics": [],
    },
)


@extend_schema_view(
    list=extend_schema(responses={200: DeskClaimSerializer, **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: DeskClaimSerializer, **errors(401, 404)}),
)
class ClaimViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Journalists see the claims they submitted, reviewers those offered or assigned to them, editors all."""

    queryset = Claim.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = DeskClaimSerializer
    filterset_class = DeskClaimFilter
    search_fields = ["text", "quote", "claimant__name"]
    ordering_fields = ["created_at", "status_changed_at", "priority", "claim_date"]
    keyset_ordering = ("-created_at", "-id")  # claim_newest_idx, and with ?status= claim_status_newest_idx
    renderer_classes = [OrjsonRenderer, BrowsableAPIRenderer]

    def get_queryset(self):
        return selectors.claims_visible_to(self.request.user).with_api_relations()

    def list(self, request, *args, **kwargs):
        # The page as plain rows: no model instances and no serializer fields (desk_claim_answers), one query per
        # relation shown. Equal to DeskClaimSerializer's answer (tests/api/test_keyset_pagination.py).
        claims = self.filter_queryset(selectors.claims_visible_to(request.user))
        rows = self.paginate_queryset(claims.values(*CLAIM_COLUMNS))
        answers = [history.answer_for(request.user, claim) for claim in desk_claim_answers(rows)]
        return self.get_paginated_response(answers)

    def retrieve(self, request, *args, **kwargs):
        return Response(history.answer_for(request.user, self.get_serializer(self.get_object()).data))

    def _answer(self, claim_id: int, code: int = status.HTTP_200_OK) -> Response:
        claim = Claim.objects.with_api_relations().get(pk=claim_id)
        return Response(history.answer_for(self.request.user, DeskClaimSerializer(claim).data), status=code)

    @extend_schema(
        request=ClaimInputSerializer,
        parameters=KEYED,
        responses={
            201: NewClaimSerializer,
            200: NewClaimSerializer,
            **errors(400, 401, 403),
            **IDEMPOTENCY_RESPONSES,
        },
        examples=[CLAIM_EXAMPLE, example("Claim from a candidate sentence", {"sentence": 41, "claimant": "Officials"})],
    )
    @idempotent
    def create(self, request):
        """A new claim (201). A `sentence` the caller made a claim from already answers that claim, unchanged (200)."""
        data = ClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.submit_claim(user=request.user, **data.validated_data)
        answer = Claim.objects.with_api_relations().get(pk=claim.pk)
        answer.similar = claim.similar
        answer.already_fact_checked = already_fact_checked(claim.similar)
        # As for reports: the claim already made from this sentence is not a new one, so 200, not 201.
        code = status.HTTP_200_OK if getattr(claim, "found_existing", False) else status.HTTP_201_CREATED
        return Response(history.answer_for(request.user, NewClaimSerializer(answer).data), status=code)

    @extend_schema(
        request=ClaimEditInputSerializer,
        responses={200: DeskClaimSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[example("Fix the wording", {"text": "The summit cost 40 million euros in 2026", "topics": []})],
    )
    def partial_update(self, request, pk=None):
        """The submitter or an editor corrects a claim until it is triaged (then 409)."""
        claim = self.get_object()
        data = ClaimEditInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.edit_claim(claim_id=claim.pk, user=request.user, **data.validated_data)
        return self._answer(claim.pk)

    @extend_schema(
        request=TriageInputSerializer,
        parameters=KEYED,
        responses={200: DeskClaimSerializer, **WRITE_ERRORS},
        examples=[
            example("Accept", {"decision": "accept", "priority": "high"}),
            example("Reject", {"decision": "reject", "reason": "An opinion, not checkable."}),
        ],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def triage(self, request, pk=None):
        claim = self.get_object()
        data = TriageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.triage_claim(claim_id=claim.pk, editor=request.user, **data.validated_data)
        return self._answer(claim.pk)

    @extend_schema(responses={200: ClaimEventSerializer(many=True), **errors(401, 404)}, filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        """Every status change of the claim, oldest first: who moved it, when, and their note. The claim's submitter
        reads the actor and note only of the steps that answer them (triage, retraction)."""
        claim = self.get_object()
        steps = ClaimEventSerializer(claim.events.all(), many=True).data
        return Response(history.history_for(request.user, claim.submitted_by.get_username(), steps))


@extend_schema(
    request=CorrectionInputSerializer,
    parameters=KEYED,
    responses={201: FactCheckSerializer, **WRITE_ERRORS},
    examples=[
        example(
            "Correct the summary",
            {
                "note": "We misstated the year of the budget; the rating is unchanged.",
                "summary": "The 2026 budget shows 25 million euros.",
            },
        )
    ],
)
@api_view(["POST"])
@idempotent
def corrections(request: Request, pk: int) -> Response:
    """An editor corrects a published verdict: a new version with a public note."""
    claim = get_object_or_404(selectors.claims_visible_to(request.user), pk=pk)
    data = CorrectionInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    # The same rule as the service's, read one source at a time, so that a refusal names the source it is about.
    source_inputs(data.validated_data.get("sources", []))
    publishing.correct(claim_id=claim.pk, editor=request.user, **data.validated_data)
    fact_check = record_selectors.public_fact_checks().prefetch_related("versions").get(claim_id=claim.pk)
    return Response(FactCheckSerializer(fact_check).data, status=status.HTTP_201_CREATED)


@extend_schema(
    request=RetractInputSerializer,
    parameters=KEYED,
    responses={200: DeskClaimSerializer, **WRITE_ERRORS},
    examples=[example("Retract", {"reason": "The claimant never said this; the video was edited."})],
)
@api_view(["POST"])
@idempotent
def retract(request: Request, pk: int) -> Response:
    claim = get_object_or_404(selectors.claims_visible_to(request.user), pk=pk)
    data = RetractInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    publishing.retract(claim_id=claim.pk, editor=request.user, reason=data.validated_data["reason"])
    return Response(DeskClaimSerializer(Claim.objects.with_api_relations().get(pk=claim.pk)).data)
