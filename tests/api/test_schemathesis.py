"""Fuzzing: schemathesis generates requests from the live OpenAPI schema and sends them to the app in-process, as
each role in turn, against a desk with work at every step. Every answer must be no 5xx, a documented status code,
and a body and content type that match the schema.

Deterministic (fixed seed, no example database), 100 generated examples per operation plus the schema's own
examples, no shrinking. Marked `fuzz`: `make test` runs it; `pytest -m "not fuzz"` skips it for a quick loop.
"""

import json
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.fuzz

SEED = 20260401
EXAMPLES_PER_OPERATION = 100
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"mode": "positive", "deterministic": True, "no-shrink": True, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "fuzzing": {"enabled": True},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
    }
)


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The real WSGI handler. Django closes "old" connections at each request's start and end; inside a test's
    transaction that would close the test database, so this is switched off for the test, as Django's test client
    does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def live_schema() -> dict:
    """The schema exactly as /api/v1/schema/?format=json serves it, built at collection time (no database)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


schema = schemathesis.openapi.from_dict(live_schema(), config=CONFIG)


def token_header(user) -> dict[str, str]:
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


@pytest.mark.parametrize("role", ["anonymous", "journalist", "reviewer", "editor"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_it_answers_every_generated_request_as_documented(case, role, request, world, wsgi_app):
    headers = {} if role == "anonymous" else token_header(request.getfixturevalue(role))
    case.call_and_validate(headers=headers, checks=CHECKS, app=wsgi_app)


def test_it_fuzzes_the_schema_the_api_serves(client):
    served = client.get("/api/v1/schema/", {"format": "json"})

    assert served.status_code == 200
    assert served.json() == live_schema()
