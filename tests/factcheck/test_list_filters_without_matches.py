"""A reader who filters the public list gets exactly the verdicts that match, or none and a message that says so;
only a value that names nothing is ignored, with a notice. The filter choices are counted from the published
fact-checks and lag publications (site/choices.py), so a topic or language without verdicts is not among them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Topic
from core import freshness
from factcheck.site.cache import _release
from factcheck.site.pages import filter_form

CHOICES_KEY = f"factcheck:filter-choices:{_release()}"
NO_MATCH = "No fact-checks match these filters."
NOT_UNDERSTOOD = "Some filters were not understood and are ignored"
CLAIMS = ("Exports grew by 4 percent", "Imports fell by 9 percent")


@pytest.fixture(autouse=True)
def no_written_forms():
    filter_form.WRITTEN_FORMS.clear()
    yield
    filter_form.WRITTEN_FORMS.clear()


@pytest.fixture
def two_on_trade(make_claim, publish):
    Topic.objects.create(slug="trade", name="Trade")
    Topic.objects.create(slug="health", name="Health")  # no verdict on it
    return [publish(make_claim(text, topics=["trade"])) for text in CLAIMS]


def claims_listed(html: str) -> list[str]:
    return re.findall(r'<article class="item">\s*<h2><a [^>]*>([^<]*)</a>', html)


def read(client, query: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(f"/fact-checks/?{query}")
    assert answer.status_code == 200
    return answer.content.decode(), len(queries)


@pytest.mark.parametrize(
    "query, selected",
    [
        ("topic=health", '<option value="health" selected>Health</option>'),
        ("language=ar", '<option value="ar" selected>Arabic</option>'),
        ("rating=mostly-false", '<option value="mostly-false" selected>Mostly false</option>'),
        ("claimant=Nobody+Of+That+Name", 'value="Nobody Of That Name"'),
        ("since=2100-01-01", 'value="2100-01-01"'),
        ("since=2020-01-02&until=2020-01-01", 'value="2020-01-01"'),
        ("topic=trade&language=ar", '<option value="ar" selected>Arabic</option>'),
    ],
)
def test_it_lists_none_and_says_so_for_a_valid_filter_that_matches_nothing(client, two_on_trade, query, selected):
    first, _ = read(client, query)
    second, queries = read(client, query)

    assert claims_listed(first) == []
    assert NO_MATCH in first and "0 fact-checks found." in first
    assert NOT_UNDERSTOOD not in first
    assert selected in first  # the form shows the filter the reader chose, not "Any"
    assert (second, queries) == (first, 0)  # the cached page says the same


def test_it_still_lists_what_matches(client, two_on_trade):
    page, _ = read(client, "topic=trade&language=en")

    assert sorted(claims_listed(page)) == sorted(CLAIMS)
    assert "2 fact-checks found." in page and NOT_UNDERSTOOD not in page


@pytest.mark.parametrize(
    "query, field",
    [("topic=no-such-topic", "topic"), ("language=xx-nonsense", "language"), ("rating=nosuch", "rating")],
)
def test_it_ignores_a_value_that_names_nothing_and_says_so(client, two_on_trade, query, field):
    for _ in range(2):
        page, _ = read(client, query)

        assert sorted(claims_listed(page)) == sorted(CLAIMS)
        assert f"{NOT_UNDERSTOOD}: {field}." in page and NO_MATCH not in page


def test_a_topic_created_later_is_no_longer_ignored_though_its_form_was_kept(
    client, two_on_trade, django_capture_on_commit_callbacks
):
    before, _ = read(client, "language=en&topic=energy")
    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.create(slug="energy", name="Energy")
        freshness.invalidate_public_pages()  # as the topic admin does

    after, _ = read(client, "language=en&topic=energy")

    assert f"{NOT_UNDERSTOOD}: topic." in before and len(claims_listed(before)) == 2
    assert NOT_UNDERSTOOD not in after and claims_listed(after) == [] and NO_MATCH in after
    assert '<option value="energy" selected>Energy</option>' in after


def test_a_verdict_on_a_new_topic_is_found_before_the_choices_are_counted_again(
    client, two_on_trade, make_claim, publish, django_capture_on_commit_callbacks
):
    read(client, "")
    assert freshness.claim_computation(CHOICES_KEY, freshness.REFRESHING)  # a slow recount is under way
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Clinics doubled", topics=["health"]))

    try:
        page, _ = read(client, "topic=health")
    finally:
        freshness.release_computation(CHOICES_KEY, freshness.REFRESHING)

    assert claims_listed(page) == ["Clinics doubled"]
    assert NOT_UNDERSTOOD not in page and "1 fact-check found." in page
