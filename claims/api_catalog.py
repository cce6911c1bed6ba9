"""API v1 for the desk's vocabulary: topics (everyone signed in lists them, editors add). Claimants are read through
the desk (reviews.api_people): who sees one depends on who may see the claims that name it."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from claims import services
from claims.models import Topic
from claims.serializers import TopicInputSerializer, TopicSerializer
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
