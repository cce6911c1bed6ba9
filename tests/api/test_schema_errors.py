"""The OpenAPI schema is YAML or JSON as asked; its error answers are JSON, like every answer under /api/."""

import json

import pytest
import yaml

SCHEMA = "/api/v1/schema/"


@pytest.mark.parametrize(
    ("query", "headers", "code"),
    [
        ("", {"HTTP_ACCEPT": "text/html"}, 406),
        ("", {"HTTP_ACCEPT": "application/xml"}, 406),
        ("?format=xml", {}, 404),
        ("?format=html", {"HTTP_ACCEPT": "text/html"}, 404),
    ],
)
def test_its_errors_are_json(client, db, query, headers, code):
    answer = client.get(SCHEMA + query, **headers)

    assert answer.status_code == code
    assert answer["Content-Type"].startswith("application/json")
    assert set(json.loads(answer.content)) == {"detail"}


@pytest.mark.parametrize(
    ("query", "headers", "media_type", "load"),
    [
        ("", {}, "application/vnd.oai.openapi", yaml.safe_load),
        ("?format=yaml", {}, "application/vnd.oai.openapi", yaml.safe_load),
        ("?format=json", {}, "application/vnd.oai.openapi+json", json.loads),
        ("", {"HTTP_ACCEPT": "application/json"}, "application/json", json.loads),
    ],
)
def test_the_schema_itself_stays_yaml_or_json(client, db, query, headers, media_type, load):
    answer = client.get(SCHEMA + query, **headers)

    assert answer.status_code == 200
    assert answer["Content-Type"].split(";")[0] == media_type
    assert load(answer.content)["openapi"].startswith("3.")
