"""API v1 for webhooks: editors register receivers (`webhooks/`) and read each one's delivery log
(`webhooks/{id}/deliveries/`). The secret is accepted but never shown again."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from core.idempotency import IDEMPOTENCY_KEY_PARAMETER, IDEMPOTENCY_RESPONSES, idempotent
from core.openapi import LIST_ERRORS, errors
from core.roles import is_editor
from core.serializers import StrictInputSerializer
from factcheck.integrations import webhook_endpoints
from factcheck.integrations.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from factcheck.record.serializers import HttpUrlField


class IsEditor(BasePermission):
    message = "Only editors manage webhooks."

    def has_permission(self, request, view) -> bool:
        return is_editor(request.user)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.values), read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "active", "description", "created_by", "created_at"]
        read_only_fields = fields


class WebhookEndpointInputSerializer(StrictInputSerializer):
    url = HttpUrlField(max_length=1000)
    secret = serializers.CharField(
        min_length=16,
        max_length=200,
        trim_whitespace=False,
        help_text="Shared secret for the signature; write-only, never shown again.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.values), min_length=1, max_length=len(WebhookEvent.values)
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    active = serializers.BooleanField(required=False, default=True)

    def validate_events(self, events: list[str]) -> list[str]:
        return list(dict.fromkeys(events))  # each event once, in the order given


class WebhookEndpointUpdateSerializer(WebhookEndpointInputSerializer):
    """PUT and PATCH: leave the secret out to keep it, send a new one to rotate it."""

    secret = serializers.CharField(min_length=16, max_length=200, trim_whitespace=False, required=False)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "status",
            "attempts",
            "last_status_code",
            "last_response",
            "last_error",
            "created_at",
            "delivered_at",
            "payload",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(responses={200: WebhookEndpointSerializer, **LIST_ERRORS, **errors(403)}),
    retrieve=extend_schema(responses={200: WebhookEndpointSerializer, **errors(401, 403, 404)}),
    destroy=extend_schema(responses={204: None, **errors(401, 403, 404)}),
)
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    """Editors only: every editor sees and manages every endpoint of the newsroom."""

    queryset = WebhookEndpoint.objects.select_related("created_by")
    serializer_class = WebhookEndpointSerializer
    permission_classes = [IsAuthenticated, IsEditor]
    filterset_fields = ["active"]
    search_fields = ["url", "description"]
    ordering_fields = ["created_at"]

    def _answer(self, endpoint_id: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(WebhookEndpointSerializer(self.get_queryset().get(pk=endpoint_id)).data, status=code)

    @extend_schema(
        request=WebhookEndpointInputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: WebhookEndpointSerializer, **errors(400, 401, 403), **IDEMPOTENCY_RESPONSES},
    )
    @idempotent
    def create(self, request):
        data = WebhookEndpointInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = webhook_endpoints.register_endpoint(editor=request.user, **data.validated_data)
        return self._answer(endpoint.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=WebhookEndpointUpdateSerializer,
        responses={200: WebhookEndpointSerializer, **errors(400, 401, 403, 404)},
    )
    def update(self, request, pk=None, partial: bool = False):
        endpoint = self.get_object()
        data = WebhookEndpointUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        webhook_endpoints.update_endpoint(editor=request.user, endpoint_id=endpoint.pk, **data.validated_data)
        return self._answer(endpoint.pk)

    @extend_schema(
        request=WebhookEndpointUpdateSerializer,
        responses={200: WebhookEndpointSerializer, **errors(400, 401, 403, 404)},
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        endpoint = self.get_object()
        webhook_endpoints.delete_endpoint(editor=request.user, endpoint_id=endpoint.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={200: WebhookDeliverySerializer(many=True), **errors(400, 401, 403, 404)},
        filters=False,
        parameters=[
            OpenApiParameter(
                "status", str, enum=WebhookDelivery.Status.values, description="Only deliveries in this state."
            )
        ],
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The delivery log of one endpoint, newest first: status, attempts and the receiver's last answer."""
        endpoint = self.get_object()
        log = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in WebhookDelivery.Status.values:
                return Response(
                    {"status": [f"Use one of {', '.join(WebhookDelivery.Status.values)}."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            log = log.filter(status=wanted)
        page = self.paginate_queryset(log)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
