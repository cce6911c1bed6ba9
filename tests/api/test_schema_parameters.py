"""The OpenAPI schema is one a client generator can use: each operation's path parameters are exactly the names in
its path, and a list's id filters are declared as the ids they take."""

import re

import pytest

from core.filters import MAX_ID

METHODS = {"get", "put", "patch", "post", "delete", "head", "options"}


@pytest.fixture
def schema(api, db):
    return api().get("/api/v1/schema/", {"format": "json"}).json()


def test_every_path_parameter_is_in_its_path_and_every_placeholder_is_a_parameter(schema):
    wrong = {}
    for path, item in schema["paths"].items():
        placeholders = set(re.findall(r"{(\w+)}", path))
        for method, operation in item.items():
            if method not in METHODS:
                continue
            parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
            declared = [p["name"] for p in parameters if p["in"] == "path"]
            if sorted(declared) != sorted(placeholders):
                wrong[f"{method.upper()} {path}"] = declared
    assert wrong == {}


@pytest.mark.parametrize(("path", "name"), [("/api/v1/claims/", "report"), ("/api/v1/assignments/", "claim")])
def test_an_id_filter_is_declared_as_an_id(schema, path, name):
    (parameter,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]

    assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_ID}
