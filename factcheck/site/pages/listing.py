"""The list of fact-checks: newest first, searchable and filtered by rating, topic, claimant, language and date.

The filter choices are counted from the published fact-checks once per stamp of public content (site/cache.py), so a
page the cache does not hold yet costs the same few queries however many claims and topics there are. After a
publication, pages show the previous choices while a task counts them again (site/choices.py).
"""

from collections.abc import Callable

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from core.freshness import page_stamp
from core.kept import MISSING, KeptRecently
from core.languages import language_name
from core.pagination import estimated_matches
from core.statement_keys import StatementKeys
from core.widgets import PlainChoiceField, PlainDateInput, PlainSearchInput, PlainTextInput
from factcheck.record.list_keys import listed_keys
from factcheck.record.selectors import FilterChoices, search_fact_checks
from factcheck.site.cache import FIRST_PAGE, cached_page, with_last_modified
from factcheck.site.choices import FILTER_CHOICES, filter_choices
from factcheck.site.pages.filter_form import filter_form_markup
from factcheck.site.pages.filter_values import COUNTED_FIELDS, unlisted_label
from factcheck.site.pages.present import PAGE_SIZE, page_or_404, with_cards

# A search counts its matches up to here: "more than 1,000" tells a reader enough, and the count stops early.
SEARCH_COUNT_CAP = 1000
# The unfiltered list pages back through the newest 5,000 (200 pages): a deeper page would read and skip every newer
# row (seconds at a million claims). Older verdicts are a date filter, a search or the sitemap away.
LIST_DEPTH = 5000


# Past this many times the cap, the planner's estimate of a search's matches is taken for "more than the cap"
# without counting them. Its estimates for single words were exact at 100,000 claims (ANALYZE samples every
# fact-check) and within a few percent at 1,000,000; counting 1,001 matches costs 1-2.5 ms of PostgreSQL, which a
# word found 1,300 times would otherwise pay on every cold page. An overestimate past the margin says "more than
# 1,000" of a few hundred: short prefixes ("7" matches "7", "70", "750") are the case, and they match many anyway.
ESTIMATE_MARGIN = 1.25


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (and pages up to them), so a broad search does not count all its matches.

    With `estimate_first`, the count is not run at all when the planner expects many times the cap
    (core.pagination.estimated_matches): a search's GIN index reads every match, however early the count would stop.
    `known_at_least` is a count read elsewhere (the cached filter choices' total): past the cap, none is run either.
    """

    def __init__(
        self, object_list, per_page: int, *, cap: int, estimate_first: bool = False, known_at_least: int = 0
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap, self.estimate_first, self.known_at_least = cap, estimate_first, known_at_least

    @cached_property
    def count(self) -> int:
        if self.known_at_least > self.cap:
            return self.cap + 1
        if self.estimate_first and (estimate := self._estimate()) is not None and estimate > ESTIMATE_MARGIN * self.cap:
            return self.cap + 1
        if isinstance(keys := self.object_list, StatementKeys):
            most = self.cap + 1
            return _kept_for_stamp(("count", most), keys, lambda: keys.count_up_to(most))
        return self.object_list.order_by()[: self.cap + 1].count()

    def _estimate(self) -> int | None:
        if isinstance(keys := self.object_list, StatementKeys):
            return _kept_for_stamp(("estimate",), keys, keys.estimate)
        return estimated_matches(self.object_list.order_by())

    @property
    def capped(self) -> bool:
        return self.count > self.cap


# A search's planner estimate and its count (up to the cap), kept per stamp of public content and search (the words'
# query): the pages of a search and its readers share one EXPLAIN and at most one count until the content changes,
# which replaces the stamp, as the page cache does for whole pages. Counting the 1,001 matches of a word costs 1-2.5
# ms of PostgreSQL. Statistics change only when ANALYZE runs, after many writes.
_PER_STAMP: KeptRecently[int | None] = KeptRecently(1024)


def _kept_for_stamp(kind: tuple, keys: StatementKeys, compute: Callable[[], int | None]) -> int | None:
    stamp = page_stamp()
    if stamp is None:
        return compute()
    key = (kind, stamp, id(keys.unordered), keys.arguments)
    if (value := _PER_STAMP.get(key)) is MISSING:
        value = compute()
        _PER_STAMP.put(key, value)
    return value


class ListFilters(forms.Form):
    """Query parameters of the list; a value that does not validate is ignored (and said so), never a 500.

    A rating, topic or language that exists but that no published verdict uses is valid: it lists none.
    """

    # Readers type in any script: dir="auto" lets Arabic or Hebrew run right to left in the field.
    q = forms.CharField(label="Search", required=False, max_length=200, widget=PlainSearchInput(attrs={"dir": "auto"}))
    rating = PlainChoiceField(label="Rating", required=False)
    topic = PlainChoiceField(label="Topic", required=False)
    # Typed, not chosen: thousands of names make no usable select. A claimant's slug (the older links) works too.
    claimant = forms.CharField(
        label="Claimant",
        required=False,
        max_length=200,
        widget=PlainTextInput(
            attrs={"list": "claimant-names", "placeholder": "Part of a name", "autocomplete": "off", "dir": "auto"}
        ),
    )
    language = PlainChoiceField(label="Language", required=False)
    since = forms.DateField(label="Published from", required=False, widget=PlainDateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Published until", required=False, widget=PlainDateInput(attrs={"type": "date"}))

    def __init__(self, data, *, choices: FilterChoices):
        super().__init__(data)
        self.fields["rating"].choices = [("", "Any rating"), *choices.ratings]
        self.fields["topic"].choices = [
            ("", "Any topic"),
            *((slug, f"{name} ({n})") for slug, name, n in choices.topics),
        ]
        self.fields["language"].choices = [
            ("", "Any language"),
            *((code, language_name(code)) for code in choices.languages),
        ]
        self.unlisted = self._offer_unlisted(data or {})

    def _offer_unlisted(self, data) -> tuple[tuple[str, str, str], ...]:
        """Offer, and so accept, each value the counted choices lack but that names a real topic, rating or language
        (site/pages/filter_values.py); returns them as (field, value, label), which the written form depends on."""
        offered = []
        for name in COUNTED_FIELDS:
            field, value = self.fields[name], data.get(name)
            if not value or not isinstance(value, str) or any(value == option for option, _ in field.choices):
                continue
            if (label := unlisted_label(name, value)) is not None:
                field.choices = [*field.choices, (value, label)]
                offered.append((name, value, label))
        return tuple(offered)

    def filters(self) -> dict:
        """The valid, non-empty filters, named as selectors.search_fact_checks takes them."""
        self.is_valid()
        valid = {name: value for name, value in self.cleaned_data.items() if value}
        if "q" in valid:
            valid["text"] = valid.pop("q")
        if "claimant" in valid:
            valid["claimant_name"] = valid.pop("claimant")
        return valid


@require_safe
# An empty filter is no filter: the form sends every field, filled or not.
@cached_page(
    params=(*ListFilters.base_fields, "page"),
    values=(FILTER_CHOICES,),
    defaults={**dict.fromkeys(ListFilters.base_fields, ""), **FIRST_PAGE},
)
def fact_check_list(request: HttpRequest) -> HttpResponse:
    choices = filter_choices()
    form = ListFilters(request.GET, choices=choices)
    filters = form.filters()
    # The commonest shapes (no filter, a plain search) are read by compiled statements: the same rows, less Python.
    found = listed_keys(filters) or search_fact_checks(**filters)
    searched = "text" in filters or "claimant_name" in filters
    paginator = CappedPaginator(
        found,
        PAGE_SIZE,
        cap=SEARCH_COUNT_CAP if searched else LIST_DEPTH,
        estimate_first="text" in filters,
        # The choices lag publications but never run ahead of them: a total past the cap is past it now too.
        known_at_least=0 if filters else choices.published,
    )
    page = with_cards(page_or_404(paginator, request.GET.get("page")))
    filter_form = filter_form_markup(form, choices, filtered=bool(filters))
    context = {"page": page, "filter_form": filter_form, "filtered": bool(filters)}
    newest = max((fc.updated_at for fc in page), default=None)
    return with_last_modified(render(request, "factcheck/list.html", context), newest)
