"""Claimants with their track record, and topics with their fact-checks.

The topic index and a topic page's page count read the counts the list's filter choices hold (site/choices.py): at a
million claims counting them afresh takes 0.7 s for the index and 0.15 s per topic page, after every publication."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.models import Topic
from factcheck.record.selectors import claimants_with_fact_checks, search_fact_checks, track_record
from factcheck.site.cache import FIRST_PAGE, cached_page, with_last_modified
from factcheck.site.choices import FILTER_CHOICES, filter_choices, topic_count
from factcheck.site.pages.present import PAGE_SIZE, page_or_404, with_cards


def _newest(page):
    return max((fc.updated_at for fc in page), default=None)


@require_safe
@cached_page(params=("page",), defaults=FIRST_PAGE)
def claimant_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Only claimants with a published fact-check have a page: the desk's other names stay internal."""
    claimant = get_object_or_404(claimants_with_fact_checks(), slug=slug)
    record = track_record(claimant)
    page = with_cards(page_or_404(Paginator(search_fact_checks(claimant=slug), PAGE_SIZE), request.GET.get("page")))
    context = {
        "claimant": claimant,
        "record": record,
        "rated": sum(count for _, count in record),
        "page": page,
    }
    return with_last_modified(render(request, "factcheck/claimant.html", context), _newest(page))


@require_safe
@cached_page(values=(FILTER_CHOICES,))
def topic_index(request: HttpRequest) -> HttpResponse:
    return render(request, "factcheck/topics.html", {"topics": filter_choices().topics})


class CountedPaginator(Paginator):
    """Pages over a number of rows known beforehand, rather than counted by a query."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


@require_safe
@cached_page(params=("page",), values=(FILTER_CHOICES,), defaults=FIRST_PAGE)
def topic_page(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    paginator = CountedPaginator(search_fact_checks(topic=slug), PAGE_SIZE, count=topic_count(slug))
    page = with_cards(page_or_404(paginator, request.GET.get("page")))
    return with_last_modified(render(request, "factcheck/topic.html", {"topic": topic, "page": page}), _newest(page))
