"""OpenAPI declarations every endpoint shares: the error answers (with examples) and the list errors, declared once.

The bodies match what core.api_errors and DRF answer: `{"detail": "..."}` for 401/403/404/409 and field messages
for 400, so fuzzing (tests/api/test_schemathesis.py) can hold every response to the schema.
"""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.response import Response

from core.renderers import OrjsonRenderer


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words a person can act on.")


def _detail(code: int, description: str, example: str) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer,
        description=description,
        examples=[OpenApiExample(f"{code}", value={"detail": example}, status_codes=[str(code)])],
    )


ERRORS: dict[int, OpenApiResponse] = {
    # Field messages are keyed by field (nested for lists of objects), or "detail"/"non_field_errors" for the whole
    # body, so the schema declares a free-form object rather than pretend to know every key. DRF's search filter
    # answers a bare list of messages for a bad `?search=` (e.g. a NUL character), hence the list.
    400: OpenApiResponse(
        {"oneOf": [{"type": "object", "additionalProperties": {}}, {"type": "array", "items": {"type": "string"}}]},
        description="Invalid input: messages per field (a list of messages for a malformed `search`).",
        examples=[OpenApiExample("400", value={"language": ['"xx" is not a valid choice.']}, status_codes=["400"])],
    ),
    401: _detail(401, "No or invalid credentials.", "Authentication credentials were not provided."),
    403: _detail(
        403,
        "Your role may not do this to an object you can see, or four eyes forbids it (you submitted the claim or "
        "wrote the review).",
        "Only editors triage claims.",
    ),
    404: _detail(404, "No such object, or one you may not see.", "No Claim matches the given query."),
    409: _detail(
        409,
        "The object is not in a state that allows this step.",
        "A claim that is queued cannot become awaiting_approval.",
    ),
    429: _detail(
        429,
        "Too many attempts: wait, then try again.",
        "Too many failed sign-ins for this account or from this address.",
    ),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers of an operation, e.g. `responses={200: X, **errors(400, 401, 404)}`."""
    return {code: ERRORS[code] for code in codes}


# Lists answer 400 for a filter value of the wrong shape and 404 for a page or cursor past the end.
LIST_ERRORS = errors(400, 401, 404)
PUBLIC_LIST_ERRORS = errors(400, 404)


def example(name: str, value: dict, *, summary: str = "", response: bool = False) -> OpenApiExample:
    """A request body example (or, with response=True, a 2xx answer) shown in Swagger UI and sent by fuzzing."""
    return OpenApiExample(name, value=value, summary=summary or name, request_only=not response, response_only=response)


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, in YAML or JSON as the client asks (Accept or ?format=yaml/json).

    Its errors are JSON like every other answer under /api/: DRF renders an error with the first of the view's
    renderers, here YAML, also when the error is that the client accepts neither YAML nor JSON (406) or asked for a
    format the view does not write (404).
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = OrjsonRenderer()
            response.accepted_media_type = OrjsonRenderer.media_type
        return response
