"""The apps depend one way: reviews → factcheck → claims → core. Nothing in a lower layer names a higher one, neither
by import nor by string (a task name, a state, a relation in an ORM lookup)."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from core.names import Task
from reviews.models import AssignmentState

ROOT = Path(settings.BASE_DIR)
LAYERS = ["core", "claims", "factcheck", "reviews"]  # lowest first


def modules_of(app: str) -> list[Path]:
    return [p for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.parts]


def imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def code_strings(tree: ast.AST) -> list[str]:
    """String literals that are code, not docstrings, and keyword names (ORM lookups such as `a__b=...`)."""
    skip = docstring_nodes(tree)
    literals = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]
    keywords = [node.arg for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg]
    return literals + keywords


def foreign_relations_of_claims_models() -> set[str]:
    """Accessors on claims' models that lead into other apps (e.g. Claim.assignments, Claim.fact_check)."""
    names = set()
    for model in apps.get_app_config("claims").get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is not None and related._meta.app_label not in ("claims", "auth", "core"):
                names.add(field.name)
    return names


def backlinks_in(source: str) -> list[str]:
    """What a claims module names of the apps above it: tasks, assignment states, relations in lookups."""
    tree = ast.parse(source)
    problems = [f"imports {root}" for root in sorted(imported_roots(tree) & {"factcheck", "reviews"})]
    foreign_tasks = {t.value for t in Task if not t.value.startswith("claims.")}
    states = set(AssignmentState.values)
    relations = foreign_relations_of_claims_models()
    for text in code_strings(tree):
        first = text.split("__")[0]
        if text in foreign_tasks or text.startswith(("factcheck.", "reviews.")):
            problems.append(f"names the task or module {text!r}")
        elif text in states:
            problems.append(f"names the assignment state {text!r}")
        elif "__" in text and first in relations:
            problems.append(f"looks up another app's rows through {text!r}")
    return problems


@pytest.mark.parametrize("lower,higher", [(lo, hi) for i, lo in enumerate(LAYERS) for hi in LAYERS[i + 1 :]])
def test_it_keeps_imports_pointing_down(lower, higher):
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules_of(lower)
        if higher in imported_roots(ast.parse(path.read_text()))
    ]
    assert offenders == [], f"{lower} must not import {higher}"


def test_it_keeps_core_free_of_every_app():
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(ast.parse(path.read_text())) & {*LAYERS[1:], "config"})
        for path in modules_of("core")
    }
    assert {path: roots for path, roots in offenders.items() if roots} == {}


def test_it_finds_no_backlinks_by_string_in_claims():
    found = {str(p.relative_to(ROOT)): backlinks_in(p.read_text()) for p in modules_of("claims")}
    assert {path: problems for path, problems in found.items() if problems} == {}


@pytest.mark.parametrize(
    "source",
    [
        "from reviews.models import Assignment",
        "import factcheck.models",
        'enqueue("reviews.route_claim", 1)',
        'qs.filter(state__in=("offered", "accepted"))',
        "qs.filter(assignments__reviewer=user)",
        'Filter(field_name="fact_check__current_version__rating__slug")',
    ],
)
def test_it_reports_each_kind_of_backlink(source):
    assert backlinks_in(source) != []


def test_it_ignores_docstrings_and_own_lookups():
    source = '"""Routing (reviews.route_claim) follows triage."""\nqs.filter(claimant__slug="x", topics__slug="y")\n'
    assert backlinks_in(source) == []


def imported_modules(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


# Inside factcheck: the site and the integrations build on the published record, and on nothing of each other.
FACTCHECK_PARTS = {
    "record": ("factcheck.site", "factcheck.integrations", "factcheck.models", "factcheck.admin"),
    "site": ("factcheck.integrations", "factcheck.models", "factcheck.admin"),
    "integrations": ("factcheck.site", "factcheck.models", "factcheck.admin"),
}


@pytest.mark.parametrize("part", sorted(FACTCHECK_PARTS))
def test_it_keeps_the_parts_of_factcheck_apart(part):
    forbidden = FACTCHECK_PARTS[part]
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(ast.parse(path.read_text())) if name.startswith(forbidden)
        )
        for path in sorted((ROOT / "factcheck" / part).rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}
