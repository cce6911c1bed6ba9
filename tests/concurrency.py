"""Running jobs at the same moment in threads, each on its own database connection (PostgreSQL race tests)."""

import threading
from collections.abc import Callable, Iterable

from django.db import connection


def run_together(jobs: Iterable[Callable[[], None]], timeout_s: float = 90) -> None:
    """Run each job in its own thread, released at the same moment by a barrier; re-raise the first failure."""
    jobs = list(jobs)
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection; leave none open against the test database

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout_s)
    assert not any(thread.is_alive() for thread in threads), "a job's thread did not finish in time"
    if errors:
        raise errors[0]
