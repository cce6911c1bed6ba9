"""API v1 for the desk's vocabulary: topics (everyone signed in lists them, editors add) and claimants (everyone
signed in reads them, editors correct them)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from claims import services
from claims.models import Claimant, Topic
from claims.serializers import (
    ClaimantInputSerializer,
    ClaimantSerializer,
    TopicInputSerializer,
    TopicSerializer,
)
from core.filters import FilterSet
from core.idempotency import idempotent
from core.openapi import LIST_ERRORS, errors, example


@extend_schema_view(list=extend_schema(responses={200: TopicSerializer, **LIST_ERRORS}))
class TopicViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Topic.objects.order_by("name", "id")
    serializer_class = TopicSerializer
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "slug"]
    keyset_ordering = ("name", "id")

    @extend_schema(
        request=TopicInputSerializer,
        responses={201: TopicSerializer, **errors(400, 401, 403)},
        examples=[example("New topic", {"slug": "health", "name": "Health"})],
    )
    @idempotent
    def create(self, request):
        data = TopicInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        topic = services.create_topic(user=request.user, **data.validated_data)
        return Response(TopicSerializer(topic).data, status=status.HTTP_201_CREATED)


class ClaimantFilter(FilterSet):
    class Meta:
        model = Claimant
        fields = ["kind", "slug"]


@extend_schema_view(
    list=extend_schema(responses={200: ClaimantSerializer, **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: ClaimantSerializer, **errors(401, 404)}),
)
class ClaimantViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Claimant.objects.order_by("name", "id")
    serializer_class = ClaimantSerializer
    http_method_names = ["get", "patch", "head", "options"]
    filterset_class = ClaimantFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name"]
    keyset_ordering = ("name", "id")

    @extend_schema(
        request=ClaimantInputSerializer,
        responses={200: ClaimantSerializer, **errors(400, 401, 403, 404)},
        examples=[
            example(
                "An organisation",
                {
                    "name": "Ministry of Finance",
                    "kind": "Organization",
                    "description": "The national finance ministry.",
                },
            )
        ],
    )
    def partial_update(self, request, pk=None):
        claimant = self.get_object()
        data = ClaimantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_claimant(claimant_id=claimant.pk, user=request.user, **data.validated_data)
        return Response(ClaimantSerializer(Claimant.objects.get(pk=claimant.pk)).data)
