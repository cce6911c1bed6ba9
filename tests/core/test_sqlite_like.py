"""On the embedded SQLite default, searches fold case in every script, as they do on PostgreSQL: a reader who types
"путин" finds "Путин", and "élysée" finds "ÉLYSÉE". Run in a process of its own on a SQLite file, as `make run`
serves it, whatever database the suite itself runs on."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.sqlite_like import like

SCRIPT = textwrap.dedent(
    """
    import django
    django.setup()
    from django.db import connection
    from claims.models import Claimant

    with connection.schema_editor() as editor:
        editor.create_model(Claimant)
    for name in ["Владимир Путин", "Palais de l'ÉLYSÉE", "Ωμέγα Δέλτα", "Up 100% in a year", "Jane Doe"]:
        Claimant.objects.create(name=name)
    for typed in ["путин", "ВЛАДИМИР", "élysée", "ωμέγα", "100%", "10_%", "jane", "_"]:
        found = Claimant.objects.filter(name__icontains=typed).values_list("name", flat=True)
        print(typed, "=", "|".join(sorted(found)))
    """
)


@pytest.fixture(scope="module")
def found_on_sqlite(tmp_path_factory) -> dict[str, list[str]]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('like') / 'desk.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = (line.split(" = ", 1) for line in done.stdout.splitlines() if " = " in line)
    return {typed: names.split("|") if names else [] for typed, names in lines}


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("путин", ["Владимир Путин"]),
        ("ВЛАДИМИР", ["Владимир Путин"]),
        ("élysée", ["Palais de l'ÉLYSÉE"]),
        ("ωμέγα", ["Ωμέγα Δέλτα"]),
        ("jane", ["Jane Doe"]),
    ],
)
def test_a_name_is_found_whatever_its_case_in_any_script(found_on_sqlite, typed, names):
    assert found_on_sqlite[typed] == names


def test_wildcards_typed_by_a_reader_are_taken_literally(found_on_sqlite):
    assert found_on_sqlite["100%"] == ["Up 100% in a year"]
    assert found_on_sqlite["10_%"] == []  # "_" is a letter the reader typed, not "any one letter"
    assert found_on_sqlite["_"] == []


@pytest.mark.parametrize(
    ("pattern", "value", "escape", "expected"),
    [
        ("%путин%", "Владимир Путин", None, True),
        ("a_c", "abc", None, True),
        ("a_c", "abbc", None, False),
        (r"%50\%%", "up 50% now", "\\", True),
        (r"%50\%%", "up 500 now", "\\", False),
        ("%x%", None, None, None),
        ("%line%", "first\nline", None, True),
    ],
)
def test_like_keeps_sqls_meaning(pattern, value, escape, expected):
    assert like(pattern, value, escape) is expected
