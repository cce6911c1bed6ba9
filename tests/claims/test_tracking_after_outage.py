"""A report whose tracking never ran (the broker refused the task after the commit, or the worker holding it died) is
found by the report sweep and tracked once the broker is back: its sentences are matched against earlier verdicts and
a repeated claim is recorded, once however often the tracking runs. Reports already tracked are left alone, and the
migration that brings the stamp leaves the archive alone too."""

import logging
from datetime import timedelta

import celery.app.task
import pytest
import time_machine
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from claims import tasks
from claims.ingest.models import ClaimAppearance
from claims.ingest.tracking import track_report
from claims.models import Report
from config.celery import app
from core.names import Task
from tests.migrating import migrate

REPEATED = "Once more, the talks lasted more than five hours"  # the `published` verdict's claim, nearly word for word
BODY = f"The minister spoke again on Friday. {REPEATED}, she told reporters. Markets were calm."


@pytest.fixture
def verdict(published):
    """The published verdict, with the reports that came before it tracked."""
    Report.objects.update(tracked_at=timezone.now())
    return published


@pytest.fixture
def broker_down(monkeypatch):
    """Every send to the broker fails the way kombu reports a Redis that refuses connections; `back()` ends it."""

    def refuse(self, *args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(celery.app.task.Task, "apply_async", refuse)
    app.conf.task_always_eager = False

    class Outage:
        @staticmethod
        def back():
            monkeypatch.undo()
            app.conf.task_always_eager = True  # the tests' broker: tasks sent run in-process

    yield Outage
    app.conf.task_always_eager = True


def _paste(api, journalist):
    answer = api(journalist).post(
        "/api/v1/reports/", {"headline": "Summit recap", "language": "en", "body": BODY}, format="json"
    )
    assert answer.status_code == 201, answer.content
    return Report.objects.get(pk=answer.json()["id"])


def _sweep_later(seconds: int = tasks.UNTRACKED_SECONDS + 1) -> int:
    with time_machine.travel(timezone.now() + timedelta(seconds=seconds)):
        return tasks.sweep_reports()


def _candidates(api, user, report) -> list[dict]:
    return api(user).get(f"/api/v1/reports/{report.pk}/candidates/").json()


def test_it_tracks_a_report_pasted_while_the_broker_was_down_once_the_sweep_runs(
    verdict, broker_down, api, journalist, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.ERROR, logger="core.dispatch"), django_capture_on_commit_callbacks(execute=True):
        report = _paste(api, journalist)
    assert f"Could not send {Task.TRACK_REPORT}({report.pk},)" in caplog.text
    assert not ClaimAppearance.objects.exists()
    assert report.tracked_at is None
    broker_down.back()

    assert _sweep_later() == 1

    appearance = ClaimAppearance.objects.get()
    assert appearance.claim_id == verdict.pk and appearance.report_id == report.pk
    repeated = next(c for c in _candidates(api, journalist, report) if REPEATED in c["text"])
    assert repeated["already_fact_checked"] is True
    report.refresh_from_db()
    assert report.tracked_at is not None
    assert _sweep_later() == 0  # tracked: not sent again


def test_it_leaves_a_report_alone_while_its_tracking_may_still_be_on_its_way(
    verdict, broker_down, api, journalist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _paste(api, journalist)
    broker_down.back()

    assert _sweep_later(tasks.UNTRACKED_SECONDS - 30) == 0
    assert Report.objects.get(pk=report.pk).tracked_at is None


def test_a_report_tracked_as_usual_is_stamped_and_never_sent_again(
    api, journalist, verdict, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _paste(api, journalist)

    report.refresh_from_db()
    assert report.tracked_at is not None
    assert ClaimAppearance.objects.count() == 1
    assert _sweep_later() == 0


def test_tracking_again_after_a_lost_message_comes_back_records_nothing_twice(journalist, verdict):
    from claims.ingest.services import submit_report

    report = submit_report(user=journalist, headline="Summit recap", language="en", body=BODY)

    assert _sweep_later() == 1  # the sweep's run
    assert track_report(report_id=report.pk) == 0  # the first message, redelivered after its worker died

    assert ClaimAppearance.objects.count() == 1


def test_a_report_still_being_fetched_or_failed_is_not_tracked(journalist):
    fetching = Report.objects.create(
        url="https://news.example.com/a",
        headline="A",
        language="en",
        status=Report.Status.FETCHING,
        submitted_by=journalist,
    )
    failed = Report.objects.create(
        url="https://news.example.com/b",
        headline="B",
        language="en",
        status=Report.Status.FAILED,
        submitted_by=journalist,
    )

    with time_machine.travel(timezone.now() + timedelta(seconds=tasks.UNTRACKED_SECONDS + 1)):
        from claims.ingest.tracking import untracked_reports

        assert untracked_reports(tasks.UNTRACKED_SECONDS) == []
    assert Report.objects.filter(pk__in=[fetching.pk, failed.pk], tracked_at=None).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_stamps_the_archive_and_leaves_the_last_day_to_the_sweep():
    old = migrate([("claims", "0015_report_article_key")])
    user = old.get_model("auth", "User").objects.create(username="archivist")
    reports = old.get_model("claims", "Report").objects

    def report(headline, status, age):
        row = reports.create(headline=headline, language="en", status=status, submitted_by=user)
        reports.filter(pk=row.pk).update(created_at=timezone.now() - age)
        return row.pk

    archived = report("Archived", "ready", timedelta(days=30))
    recent = report("Recent", "ready", timedelta(hours=2))
    failed = report("Failed", "failed", timedelta(days=30))

    new = migrate([("claims", "0016_report_tracked_at")])
    stamped = dict(new.get_model("claims", "Report").objects.values_list("pk", "tracked_at"))
    migrate()

    assert stamped[archived] is not None
    assert stamped[recent] is None  # tracked again by the sweep: it may have been lost in a recent outage
    assert stamped[failed] is None
