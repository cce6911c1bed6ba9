"""API v1 for reports and claims: submission, triage, history. Views stay thin: validate, call a service, answer."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import selectors, services
from claims.models import Claim, Report
from claims.serializers import (
    ClaimInputSerializer,
    ClaimSerializer,
    ReportInputSerializer,
    ReportSerializer,
    TriageInputSerializer,
)


class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Report.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ReportSerializer
    filterset_fields = ["language"]
    search_fields = ["headline", "outlet"]
    ordering_fields = ["created_at", "published_at"]

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user).select_related("submitted_by")

    @extend_schema(request=ReportInputSerializer, responses={201: ReportSerializer})
    def create(self, request):
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.submit_report(user=request.user, **data.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ClaimFilter(filters.FilterSet):
    topic = filters.CharFilter(field_name="topics__slug")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Claim
        fields = ["status", "language", "priority", "report"]


class ClaimViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Claim.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    search_fields = ["text", "quote", "claimant__name"]
    ordering_fields = ["created_at", "status_changed_at", "priority"]

    def get_queryset(self):
        return selectors.claims_visible_to(self.request.user).with_api_relations()

    def _answer(self, claim_id: int, code: int = status.HTTP_200_OK) -> Response:
        claim = Claim.objects.with_api_relations().get(pk=claim_id)
        return Response(ClaimSerializer(claim).data, status=code)

    @extend_schema(request=ClaimInputSerializer, responses={201: ClaimSerializer})
    def create(self, request):
        data = ClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        report_id = fields.pop("report")
        report = None
        if report_id is not None:
            report = selectors.reports_visible_to(request.user).filter(pk=report_id).first()
            if report is None:
                return Response({"report": ["No such report."]}, status=status.HTTP_400_BAD_REQUEST)
        claim = services.submit_claim(user=request.user, report=report, **fields)
        return self._answer(claim.pk, status.HTTP_201_CREATED)

    @extend_schema(request=TriageInputSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        claim = self.get_object()
        data = TriageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.triage_claim(claim_id=claim.pk, editor=request.user, **data.validated_data)
        return self._answer(claim.pk)
