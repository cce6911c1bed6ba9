"""The API's own endpoints that belong to no resource: signing in for a token, and the JSON 404."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from core.openapi import errors, example
from core.throttling import LoginThrottle


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
