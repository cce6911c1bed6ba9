"""API v1 for reports and claims: submission, edits while submitted, triage, history. Views stay thin: validate, call
a service, answer."""

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import selectors, services
from claims.filters import DateTimeFilter
from claims.idempotency import idempotent
from claims.models import Claim, ClaimStatus, Priority, Report
from claims.openapi import LIST_ERRORS, errors, example
from claims.serializers import (
    LANGUAGE_CHOICES,
    ClaimEditInputSerializer,
    ClaimEventSerializer,
    ClaimInputSerializer,
    ClaimSerializer,
    ReportInputSerializer,
    ReportSerializer,
    TriageInputSerializer,
)
from claims.throttling import LoginThrottle


@extend_schema(
    request=AuthTokenSerializer,
    responses={200: inline_serializer("Token", {"token": serializers.CharField()}), **errors(400)},
    examples=[example("Sign in", {"username": "journalist", "password": "demo-pass-2026"})],
    auth=[],
)
class TokenView(ObtainAuthToken):
    """Trade a username and password for the token to send as `Authorization: Token <token>`.

    DRF's view turns throttling off; counting attempts per address keeps password guessing slow.
    """

    throttle_classes = [LoginThrottle]


@csrf_exempt  # answers 404 whatever the method; a CSRF failure would be an HTML 403 instead
def api_not_found(request: HttpRequest) -> JsonResponse:
    """Any path under /api/v1/ that matches no endpoint (e.g. a negative id, which `<int:pk>` does not match): the
    API's JSON 404, not Django's HTML page, so clients parse every answer the same way."""
    return JsonResponse({"detail": "Not found."}, status=404)


class ReportFilter(filters.FilterSet):
    language = filters.ChoiceFilter(choices=[(c, c) for c in LANGUAGE_CHOICES])
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")

    class Meta:
        model = Report
        fields = ["language"]


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

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user).select_related("submitted_by")

    @extend_schema(
        request=ReportInputSerializer,
        responses={201: ReportSerializer, **errors(400, 401, 403)},
        examples=[REPORT_EXAMPLE],
    )
    @idempotent
    def create(self, request):
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.submit_report(user=request.user, **data.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ClaimFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=ClaimStatus.choices, help_text="Repeat for several statuses.")
    language = filters.ChoiceFilter(choices=[(c, c) for c in LANGUAGE_CHOICES])
    priority = filters.ChoiceFilter(choices=Priority.choices)
    topic = filters.CharFilter(field_name="topics__slug", help_text="Topic slug.")
    claimant = filters.CharFilter(field_name="claimant__slug", help_text="Claimant slug.")
    rating = filters.CharFilter(
        field_name="fact_check__current_version__rating__slug", help_text="Rating slug of the published verdict."
    )
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    claim_date_after = filters.DateFilter(field_name="claim_date", lookup_expr="gte")
    claim_date_before = filters.DateFilter(field_name="claim_date", lookup_expr="lte")
    overdue = filters.BooleanFilter(
        method="filter_overdue", help_text="With a reviewer and past the verdict's due time."
    )

    class Meta:
        model = Claim
        fields = ["report"]

    def filter_overdue(self, queryset, name, value):
        overdue = selectors.overdue_claim_ids(timezone.now())
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


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
    list=extend_schema(responses={200: ClaimSerializer, **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: ClaimSerializer, **errors(401, 404)}),
)
class ClaimViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Journalists see the claims they submitted, reviewers those offered or assigned to them, editors all."""

    queryset = Claim.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    search_fields = ["text", "quote", "claimant__name"]
    ordering_fields = ["created_at", "status_changed_at", "priority", "claim_date"]

    def get_queryset(self):
        return selectors.claims_visible_to(self.request.user).with_api_relations()

    def _answer(self, claim_id: int, code: int = status.HTTP_200_OK) -> Response:
        claim = Claim.objects.with_api_relations().get(pk=claim_id)
        return Response(ClaimSerializer(claim).data, status=code)

    @extend_schema(
        request=ClaimInputSerializer,
        responses={201: ClaimSerializer, **errors(400, 401, 403)},
        examples=[CLAIM_EXAMPLE],
    )
    @idempotent
    def create(self, request):
        data = ClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        report_id = fields.pop("report")
        report = None
        if report_id is not None:
            report = Report.objects.filter(pk=report_id).first()
            if report is None:
                return Response({"report": ["No such report."]}, status=status.HTTP_400_BAD_REQUEST)
        # Whether this caller may cite the report is the service's rule.
        claim = services.submit_claim(user=request.user, report=report, **fields)
        return self._answer(claim.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=ClaimEditInputSerializer,
        responses={200: ClaimSerializer, **errors(400, 401, 403, 404, 409)},
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
        responses={200: ClaimSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            example("Accept", {"decision": "accept", "priority": "high"}),
            example("Reject", {"decision": "reject", "reason": "An opinion, not checkable."}),
        ],
    )
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        claim = self.get_object()
        data = TriageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.triage_claim(claim_id=claim.pk, editor=request.user, **data.validated_data)
        return self._answer(claim.pk)

    @extend_schema(responses={200: ClaimEventSerializer(many=True), **errors(401, 404)}, filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        """Every status change of the claim, oldest first: who moved it, when, and their note."""
        claim = self.get_object()
        return Response(ClaimEventSerializer(claim.events.all(), many=True).data)
