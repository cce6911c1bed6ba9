"""The list of fact-checks: newest first, searchable and filtered by rating, topic, claimant, language and date."""

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.languages import language_name
from factcheck.record.selectors import (
    claimants_with_fact_checks,
    default_ratings,
    languages_with_fact_checks,
    search_fact_checks,
    topics_with_fact_checks,
)
from factcheck.site.cache import cached_page, with_last_modified
from factcheck.site.pages.present import PAGE_SIZE


class ListFilters(forms.Form):
    """Query parameters of the list; a value that does not validate is ignored (and said so), never a 500."""

    q = forms.CharField(label="Search", required=False, max_length=200, widget=forms.SearchInput)
    rating = forms.ChoiceField(label="Rating", required=False)
    topic = forms.ChoiceField(label="Topic", required=False)
    claimant = forms.ChoiceField(label="Claimant", required=False)
    language = forms.ChoiceField(label="Language", required=False)
    since = forms.DateField(label="Published from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Published until", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, ratings, topics, claimants, languages):
        super().__init__(data)
        self.fields["rating"].choices = [("", "Any rating"), *((r.slug, r.label) for r in ratings)]
        self.fields["topic"].choices = [("", "Any topic"), *((t.slug, t.name) for t in topics)]
        self.fields["claimant"].choices = [("", "Anyone"), *((c.slug, c.name) for c in claimants)]
        self.fields["language"].choices = [("", "Any language"), *((code, language_name(code)) for code in languages)]

    def filters(self) -> dict:
        """The valid, non-empty filters, named as selectors.search_fact_checks takes them."""
        self.is_valid()
        valid = {name: value for name, value in self.cleaned_data.items() if value}
        if "q" in valid:
            valid["text"] = valid.pop("q")
        return valid


@require_safe
@cached_page
def fact_check_list(request: HttpRequest) -> HttpResponse:
    form = ListFilters(
        request.GET,
        ratings=list(default_ratings()),
        topics=list(topics_with_fact_checks()),
        claimants=list(claimants_with_fact_checks()),
        languages=languages_with_fact_checks(),
    )
    filters = form.filters()
    page = Paginator(search_fact_checks(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "filtered": bool(filters)}
    newest = max((fc.updated_at for fc in page), default=None)
    return with_last_modified(render(request, "factcheck/list.html", context), newest)
