"""API v1 for the published record: public fact-checks and rating scales, editors' corrections and retractions."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import api_view
from rest_framework.filters import SearchFilter
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from claims.models import Claim
from claims.selectors import claims_visible_to
from claims.serializers import ClaimSerializer
from factcheck import publishing, selectors
from factcheck.models import RatingScale
from factcheck.serializers import (
    CorrectionInputSerializer,
    FactCheckSerializer,
    RatingScaleSerializer,
    RetractInputSerializer,
)


class PublishedCursor(CursorPagination):
    ordering = ("-published_at", "-id")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class FactCheckViewSet(viewsets.ReadOnlyModelViewSet):
    """Published fact-checks, for anyone: newest first, by slug."""

    serializer_class = FactCheckSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    pagination_class = PublishedCursor
    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_fields = {"claim__language": ["exact"]}
    search_fields = ["claim__text", "claim__claimant__name"]

    def get_queryset(self):
        return selectors.public_fact_checks().prefetch_related("versions")


class RatingScaleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RatingScaleSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"
    queryset = RatingScale.objects.prefetch_related("ratings__scale").order_by("-is_default", "name")
    filter_backends = []


def _stamped(sources: list[dict]) -> list[dict]:
    today = timezone.localdate().isoformat()
    return [{**source, "accessed_at": today} for source in sources]


@extend_schema(request=CorrectionInputSerializer, responses={201: FactCheckSerializer})
@api_view(["POST"])
def corrections(request: Request, pk: int) -> Response:
    """An editor corrects a published verdict: a new version with a public note."""
    claim = get_object_or_404(claims_visible_to(request.user), pk=pk)
    data = CorrectionInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    fields = dict(data.validated_data)
    if "rating" in fields:
        fields["rating"] = selectors.rating_on_default_scale(fields["rating"])
    if "sources" in fields:
        fields["sources"] = _stamped(fields["sources"])
    publishing.correct(claim_id=claim.pk, editor=request.user, **fields)
    fact_check = selectors.public_fact_checks().prefetch_related("versions").get(claim_id=claim.pk)
    return Response(FactCheckSerializer(fact_check).data, status=status.HTTP_201_CREATED)


@extend_schema(request=RetractInputSerializer, responses={200: ClaimSerializer})
@api_view(["POST"])
def retract(request: Request, pk: int) -> Response:
    claim = get_object_or_404(claims_visible_to(request.user), pk=pk)
    data = RetractInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    publishing.retract(claim_id=claim.pk, editor=request.user, reason=data.validated_data["reason"])
    return Response(ClaimSerializer(Claim.objects.with_api_relations().get(pk=claim.pk)).data)



