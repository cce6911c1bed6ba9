"""Parts every public page repeats, written in Python for speed (site/markup.py, site/context_processors.py): they
must give what Django's own filters and tags give, in any time zone and language, and escape what they are given."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix
from django.utils import translation

from core.slugs import slug_url
from factcheck.models import FactCheck
from factcheck.record.selectors import search_fact_checks
from factcheck.site.context_processors import publisher
from factcheck.site.markup import datalist, long_date, time_element
from factcheck.site.pages.listing import CappedPaginator

AS_DJANGO_WRITES_IT = Template(
    """<time datetime="{{ value|date:'c' }}">{{ value|date:"j F Y" }}</time>"""
    """|<time datetime="{{ value|date:'Y-m-d' }}">{{ value|date:"j F Y" }}</time>"""
)
MOMENTS = [
    datetime(2026, 11, 6, 21, 24, 42, tzinfo=UTC),
    datetime(2026, 1, 31, 23, 59, 59, 123456, tzinfo=UTC),  # another day and month east of UTC
    datetime(2025, 12, 31, 18, 30, tzinfo=UTC),  # another year
]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/Los_Angeles", "Pacific/Kiritimati"])
@pytest.mark.parametrize("language", ["en", "ru", "ar", "zh-hans", "hi"])
def test_a_time_element_is_what_the_date_filter_writes(settings, zone, language):
    settings.TIME_ZONE = zone
    with translation.override(language):
        for moment in MOMENTS:
            full, day_only = AS_DJANGO_WRITES_IT.render(Context({"value": moment})).split("|")
            assert time_element(moment) == full
            assert time_element(moment, date_only=True) == day_only
        day = date(2026, 2, 28)
        assert time_element(day) == AS_DJANGO_WRITES_IT.render(Context({"value": day})).split("|")[1]


def test_a_long_date_names_the_month_in_the_active_language():
    with translation.override("en"):
        assert long_date(date(2026, 11, 6), translation.get_language()) == "6 November 2026"
    with translation.override("ru"):
        assert long_date(date(2026, 11, 6), translation.get_language()) == "6 Ноябрь 2026"
    with translation.override("en"):  # the month names are kept per language, not the first one asked for
        assert long_date(date(2026, 11, 6), translation.get_language()) == "6 November 2026"


def test_no_date_is_no_element():
    assert time_element(None) == ""


def test_a_datalist_escapes_its_values_and_is_left_out_when_empty():
    html = datalist("claimant-names", ['Анна "Ана" <b>', "محمد & Co", "王伟"])
    assert html == (
        '\n      <datalist id="claimant-names"><option value="Анна &quot;Ана&quot; &lt;b&gt;"></option>'
        '<option value="محمد &amp; Co"></option><option value="王伟"></option></datalist>'
    )
    assert datalist("claimant-names", []) == ""


def test_the_site_links_are_what_reverse_gives_under_any_script_prefix(rf):
    names = {"list": "factcheck:list", "topics": "factcheck:topics", "atom": "discovery:atom"}
    try:
        for prefix in ("/", "/desk/"):
            set_script_prefix(prefix)
            links = publisher(rf.get("/"))["site_links"]
            assert {key: links[key] for key in names} == {key: reverse(name) for key, name in names.items()}
            assert links["list"] == f"{prefix}fact-checks/"
            assert slug_url("factcheck:topic")("trade") == reverse("factcheck:topic", kwargs={"slug": "trade"})
            assert slug_url("factcheck:topic")("trade") == f"{prefix}topics/trade/"
            fact_check = FactCheck(slug="the-talks-lasted-five-hours-12")
            assert fact_check.get_absolute_url() == reverse("factcheck:detail", kwargs={"slug": fact_check.slug})
    finally:
        set_script_prefix("/")


def test_a_total_known_past_the_cap_is_not_counted_again(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert CappedPaginator(search_fact_checks(), 20, cap=100, known_at_least=101).count == 101


def test_a_total_known_within_the_cap_is_counted(make_claim, publish, django_assert_num_queries):
    publish(make_claim("The talks lasted five hours"))
    # A cached total may lag a publication: within the cap, only a count can say how many pages there are.
    with django_assert_num_queries(1):
        assert CappedPaginator(search_fact_checks(), 20, cap=100, known_at_least=0).count == 1
