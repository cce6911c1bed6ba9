"""Every transactional test restores the rows the migrations made (serialized_rollback). One that does not flushes
the database and lets post_migrate re-create content types and permissions, and the next serialized test then fails
to load its own copy of them (a duplicate key), far from the test that caused it."""

import ast
from pathlib import Path

from django.conf import settings

TESTS = Path(settings.BASE_DIR) / "tests"


def django_db_marks(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "django_db":
            yield node


def keyword(call: ast.Call, name: str) -> bool:
    return any(k.arg == name and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords)


def test_every_transactional_test_rolls_back_by_serialization():
    unserialized = [
        f"{path.relative_to(TESTS)}:{call.lineno}"
        for path in sorted(TESTS.rglob("*.py"))
        for call in django_db_marks(ast.parse(path.read_text(), str(path)))
        if keyword(call, "transaction") and not keyword(call, "serialized_rollback")
    ]
    assert unserialized == []
