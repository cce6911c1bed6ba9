"""A correction must change what the verdict shows: one that carries only a note, or changes equal to the current
version, is refused with 400 and says what to send. A note alone is a correction when the rating, claimant or report
it shows changed since the current version: the correction copies the new values."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from claims.models import Claimant, Report
from factcheck.record.models import FactCheckVersion, Rating
from tests.factcheck.conftest import EXPLANATION, SCHEDULE, SUMMARY


def corrections_url(fact_check) -> str:
    return f"/api/v1/claims/{fact_check.claim_id}/corrections/"


def versions_of(fact_check) -> list[int]:
    return list(FactCheckVersion.objects.filter(fact_check=fact_check).values_list("number", flat=True))


def assert_refused_as_no_change(answer, fact_check) -> None:
    assert answer.status_code == 400, answer.content
    (message,) = answer.json()["non_field_errors"]
    assert "changes nothing version 1 shows" in message
    assert "Send the rating, summary, explanation or sources that change" in message
    assert versions_of(fact_check) == [1]


def test_it_refuses_a_correction_that_carries_only_a_note(api, client, make_claim, publish, other_editor):
    fact_check = publish(make_claim())

    answer = api(other_editor).post(corrections_url(fact_check), {"note": "Fixed a typo."}, format="json")

    assert_refused_as_no_change(answer, fact_check)
    assert "Fixed a typo." not in client.get("/corrections/").content.decode()


def test_it_refuses_a_correction_whose_changes_equal_the_current_version(api, make_claim, publish, other_editor):
    fact_check = publish(make_claim(), rating="false")
    same = {
        "note": "Checked again.",
        "rating": "false",
        "summary": SUMMARY,
        "explanation": EXPLANATION,
        # The same sources sent again are re-stamped as accessed today: still no change to what they cite.
        "sources": [{"url": SCHEDULE.url, "title": SCHEDULE.title, "publisher": SCHEDULE.publisher}],
    }

    answer = api(other_editor).post(corrections_url(fact_check), same, format="json")

    assert_refused_as_no_change(answer, fact_check)


def test_it_accepts_a_correction_that_changes_one_thing(api, make_claim, publish, other_editor):
    fact_check = publish(make_claim())

    answer = api(other_editor).post(
        corrections_url(fact_check), {"note": "Wrong end time.", "explanation": "It ran 10:00-14:10."}, format="json"
    )

    assert answer.status_code == 201, answer.content
    assert versions_of(fact_check) == [1, 2]


@pytest.mark.parametrize(
    "edit",
    [
        lambda: Rating.objects.filter(slug="false", scale__is_default=True).update(label="Incorrect"),
        lambda: Rating.objects.filter(slug="false", scale__is_default=True).update(definition="Not so."),
        lambda: Claimant.objects.update(name="Ms Roe"),
        lambda: Report.objects.update(headline="Summit ends", url="https://news.example.org/summit"),
    ],
    ids=["rating label", "rating definition", "claimant name", "report headline"],
)
def test_it_accepts_a_note_alone_to_publish_what_changed_in_the_rating_claimant_or_report(
    api, make_claim, publish, other_editor, edit
):
    fact_check = publish(make_claim(), rating="false")
    edit()

    answer = api(other_editor).post(
        corrections_url(fact_check), {"note": "The report's headline and our labels changed."}, format="json"
    )

    assert answer.status_code == 201, answer.content
    assert versions_of(fact_check) == [1, 2]
    v1, v2 = FactCheckVersion.objects.filter(fact_check=fact_check).order_by("number")
    assert (v2.summary, v2.explanation, v2.sources, v2.rating_id) == (
        v1.summary,
        v1.explanation,
        v1.sources,
        v1.rating_id,
    )
    shown = ("rating_label", "rating_definition", "claimant_name", "report_headline", "report_url")
    assert [getattr(v1, f) for f in shown] != [getattr(v2, f) for f in shown]


def test_it_refuses_the_same_correction_sent_again_without_a_key(api, make_claim, publish, other_editor):
    fact_check = publish(make_claim())
    body = {"note": "Wrong end time.", "summary": "It was four hours and ten minutes."}

    first = api(other_editor).post(corrections_url(fact_check), body, format="json")
    again = api(other_editor).post(corrections_url(fact_check), body, format="json")

    assert (first.status_code, again.status_code) == (201, 400)
    assert "changes nothing version 2 shows" in again.json()["non_field_errors"][0]
    assert versions_of(fact_check) == [1, 2]


def test_it_replays_a_retried_correction_with_its_idempotency_key(api, make_claim, publish, other_editor):
    fact_check = publish(make_claim())
    client = api(other_editor)
    body = json.dumps({"note": "Wrong end time.", "summary": "It was four hours and ten minutes."})

    def send():
        return client.post(
            corrections_url(fact_check), body, content_type="application/json", headers={"Idempotency-Key": "fix-1"}
        )

    first, retry = send(), send()

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert versions_of(fact_check) == [1, 2]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_publishes_one_version_when_the_same_correction_arrives_in_parallel(make_claim, publish, other_editor):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks: set DATABASE_URL")
    fact_check = publish(make_claim())
    body = {"note": "Wrong end time.", "summary": "It was four hours and ten minutes."}
    barrier = threading.Barrier(4)

    def run(_):
        try:
            client = APIClient()
            client.force_authenticate(other_editor)
            barrier.wait(timeout=10)
            return client.post(corrections_url(fact_check), body, format="json")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(run, range(4)))

    # The claim's row lock orders them: the first publishes version 2, the others find nothing left to change.
    assert sorted(a.status_code for a in answers) == [201, 400, 400, 400]
    assert versions_of(fact_check) == [1, 2]
