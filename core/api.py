"""The API's own endpoints that belong to no resource: signing in for a token, the JSON 404 and the redirect to the
address with its trailing slash."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.encoding import escape_uri_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.authentication import lockout_seconds_left
from core.openapi import errors, example
from core.throttling import LoginThrottle


@extend_schema(
    request=AuthTokenSerializer,
    responses={200: inline_serializer("Token", {"token": serializers.CharField()}), **errors(400, 429)},
    examples=[example("Sign in", {"username": "journalist", "password": "demo-pass-2026"})],
    auth=[],
)
class TokenView(ObtainAuthToken):
    """Trade a username and password for the token to send as `Authorization: Token <token>`.

    DRF's view turns throttling off; counting attempts per address keeps password guessing slow.
    """

    throttle_classes = [LoginThrottle]

    def post(self, request: Request, *args, **kwargs) -> Response:
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # django-axes refused a locked account or address before the password was checked, and marked the
            # request the serializer authenticated with (this one). Saying the credentials were wrong would send
            # someone with the right password looking for another.
            if getattr(request, "axes_locked_out", False):
                credentials = {"username": request.data.get("username")}
                wait = lockout_seconds_left(request, credentials)
                return Response(
                    {"detail": settings.AXES_COOLOFF_MESSAGE},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                    headers={"Retry-After": str(wait)},
                )
            raise


@csrf_exempt  # answers 404 whatever the method; a CSRF failure would be an HTML 403 instead
def api_not_found(request: HttpRequest) -> JsonResponse:
    """Any path under /api/v1/ that matches no endpoint (e.g. a negative id, which `<int:pk>` does not match): the
    API's JSON 404, not Django's HTML page, so clients parse every answer the same way."""
    return JsonResponse({"detail": "Not found."}, status=404)


@csrf_exempt  # the client repeats the request at the new address, where CSRF is checked as usual
def api_add_slash(request: HttpRequest) -> HttpResponse:
    """Every API path ends in "/". Django's APPEND_SLASH answers 301 (or, for a POST in DEBUG, an error), and a
    client following a 301 sends its POST again as a GET, losing the write; 308 keeps the method and the body."""
    query = request.META.get("QUERY_STRING", "")
    location = escape_uri_path(request.path) + "/" + (f"?{query}" if query else "")
    answer = JsonResponse({"detail": f"API addresses end with a slash: {location}"}, status=308)
    answer["Location"] = location
    return answer
