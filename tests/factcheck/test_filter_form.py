"""The list's filter form is written once for each set of filter values while the choices stay the same
(site/pages/filter_form.py): every page must still show the reader's own values, errors and the current choices."""

import re

import pytest
from django.http import QueryDict

from claims.models import Topic
from factcheck.record.selectors import FilterChoices
from factcheck.site.pages import filter_form, listing
from factcheck.site.pages.filter_form import filter_form_markup
from factcheck.site.pages.listing import ListFilters

FORM = re.compile(r"<form class=\"filters\".*?</form>", re.S)


@pytest.fixture(autouse=True)
def no_written_forms():
    filter_form.WRITTEN_FORMS.clear()
    yield
    filter_form.WRITTEN_FORMS.clear()


def form_of(client, url: str) -> tuple[str, bool]:
    """The page's filter form, and whether this request wrote it."""
    answer = client.get(url)
    assert answer.status_code == 200
    written = "factcheck/_filters.html" in {template.name for template in answer.templates}
    return FORM.search(answer.content.decode()).group(0), written


def test_pages_with_the_same_filters_write_the_form_once(client, make_claim, publish, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)  # two pages of the three
    Topic.objects.create(slug="trade", name="Торговля")
    for n in range(3):
        publish(make_claim(f"Exports grew by {n} percent", topics=["trade"]))

    first, first_written = form_of(client, "/fact-checks/?topic=trade")
    again, again_written = form_of(client, "/fact-checks/?topic=trade&page=2")

    assert (first_written, again_written) == (True, False)
    assert again == first
    assert '<option value="trade" selected>Торговля (3)</option>' in first


def test_each_request_sees_its_own_values_and_errors(client, make_claim, publish):
    publish(make_claim("Exports grew by 4 percent"))

    alpha, _ = form_of(client, "/fact-checks/?q=alpha")
    beta, beta_written = form_of(client, "/fact-checks/?q=%D0%B1%D0%B5%D1%82%D0%B0")  # бета
    wrong_date, _ = form_of(client, "/fact-checks/?q=alpha&since=yesterday")
    alpha_again, alpha_again_written = form_of(client, "/fact-checks/?q=alpha")

    assert 'value="alpha"' in alpha and 'value="бета"' in beta and beta_written
    assert "not understood" not in alpha and "Some filters were not understood and are ignored: since" in wrong_date
    assert (alpha_again, alpha_again_written) == (alpha, False)


def test_new_choices_write_the_form_again():
    before = FilterChoices(ratings=[("false", "False")], topics=[("trade", "Trade", 2)], languages=["en"], claimants=[])
    after = FilterChoices(
        ratings=[("false", "False")],
        topics=[("trade", "Trade", 3), ("health", "स्वास्थ्य", 1)],
        languages=["en", "hi"],
        claimants=["Олена Коваль"],
    )
    data = QueryDict("topic=trade")

    old = filter_form_markup(ListFilters(data, choices=before), before, filtered=True)
    new = filter_form_markup(ListFilters(data, choices=after), after, filtered=True)

    assert "Trade (2)" in old and "स्वास्थ्य" not in old
    assert '<option value="trade" selected>Trade (3)</option>' in new and "स्वास्थ्य (1)" in new
    assert '<option value="Олена Коваль"></option>' in new
    assert filter_form_markup(ListFilters(data, choices=after), after, filtered=True) == new
