"""On the embedded SQLite default, writers in parallel threads queue for the lock instead of failing with
"database is locked": the desk's transactions read, then write, and SQLite cannot let a reader become a writer
while another writes. Run in a process of its own on a database file, as `make run` serves it."""

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import os, threading, time
    import django
    django.setup()
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE tally (n INTEGER)")
    failures = []

    def write(n):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM tally")
                    time.sleep(0.05)  # as a request does between its reads and its writes
                    cursor.execute("INSERT INTO tally VALUES (%s)", [n])
        except Exception as exc:
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tally")
        print(cursor.fetchone()[0], failures)
    """
)


def test_parallel_writers_on_the_sqlite_default_all_succeed(tmp_path: Path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[0] == "8", done.stdout
    assert "locked" not in done.stdout
