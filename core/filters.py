"""Filter types shared by the API's lists."""

import re
from datetime import UTC

from django import forms
from django.core.exceptions import ValidationError
from django_filters import BooleanFilter, ChoiceFilter, Filter, IsoDateTimeFilter, NumberFilter, utils
from django_filters.fields import ChoiceField, IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as DjangoFilterSet
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters

from core.languages import LANGUAGE_CODES, desk_language


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, turned into UTC before it reaches the database.

    ISO allows offsets up to ±23:59 but PostgreSQL only ±15:59, so `?created_after=2026-01-01T00:00+23:00` was a
    500 there; and an offset can push a date out of the calendar (year 1 at +14:00), which is a 400 here.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValidationError("Date and time out of range.", code="overflow") from None


class DateTimeFilter(IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


# The largest id a 64-bit id column (BigAutoField, the project's default) can hold.
MAX_ID = 2**63 - 1


class WholeNumberField(forms.IntegerField):
    """Digits only: Django's integer field reads "97.0" as 97, which is not how an id is written."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not re.fullmatch(r"[0-9]+", value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})  # django-filter's says "number"
class IdFilter(NumberFilter):
    """An id: a whole number from 1 to MAX_ID, else a 400 naming the bound.

    django-filter's NumberFilter reads a decimal up to 1e50 and hands it to the database as it is: a foreign key's
    lookup has no range check, so `?report=99999999999999999999` overflowed SQLite's integer (a 500) and would fail on
    PostgreSQL's bigint too, and `?report=1.5` found report 1.
    """

    field_class = WholeNumberField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return None  # the field's own max_value bounds it


class LanguageChoiceField(ChoiceField):
    """A language of the desk's table, also as people write it ("zh-TW", "EN"), as the API's inputs take it."""

    def to_python(self, value):
        value = super().to_python(value)
        return (desk_language(value) or value) if isinstance(value, str) and value else value


class LanguageFilter(ChoiceFilter):
    """A language code: one of the desk's (core.languages), or a tag that reads as one; another is a 400."""

    field_class = LanguageChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [(code, code) for code in sorted(LANGUAGE_CODES)])
        super().__init__(*args, **kwargs)


class StrictBooleanWidget(BooleanWidget):
    """django-filter's true/false widget, which reads any other word as "no value", so `?mine=maybe` filtered
    nothing and answered the whole list; this one passes the word on for the field to refuse."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        given = data.get(name)
        return given if value is None and given not in (None, "") else value


class StrictBooleanField(forms.NullBooleanField):
    """True, false or no value (no filter); any other word is a 400 rather than no filter."""

    def to_python(self, value):
        if isinstance(value, str) and value:
            if value.lower() not in {"true", "false", "1", "0"}:
                raise ValidationError("Must be true or false (or 1 or 0).", code="invalid")
            value = value.lower() in {"true", "1"}
        return super().to_python(value)


def _make_strict(filter_: BooleanFilter) -> None:
    filter_.field_class = StrictBooleanField
    filter_.extra["widget"] = StrictBooleanWidget


# Query parameters that only page a list: they filter nothing.
PAGING_PARAMS = frozenset({"cursor", "page_size", "format"})


def _reads_own_name_only(filter_: Filter) -> bool:
    # A multi-part widget (a range's `_min` / `_max`) reads parameters named after the filter plus a suffix.
    widget = filter_.extra.get("widget", filter_.field_class.widget)
    return not issubclass(widget if isinstance(widget, type) else type(widget), forms.MultiWidget)


class FilterSet(DjangoFilterSet):
    """django-filter's set, which can be built from only the filters a request names (`named_only`, as FilterBackend
    filters): django-filter deep-copies every filter (with its choices and querysets) and builds a form field for
    each on every request, about 5 ms for the desk's claim filters, though a filter whose parameter is absent filters
    nothing. The answer is the same, and errors are reported for the parameters given, as before. Built without it
    (the browsable API's filter form), the set has every filter."""

    @classmethod
    def get_filters(cls):
        """Every true/false filter of a set, declared or made from a model's field, answers 400 to another word."""
        filters_ = super().get_filters()
        for filter_ in filters_.values():
            if isinstance(filter_, BooleanFilter):
                _make_strict(filter_)
        return filters_

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, named_only: bool = False):
        if named_only and data is not None and prefix is None:
            self.base_filters = {
                name: filter_
                for name, filter_ in type(self).base_filters.items()
                if name in data or not _reads_own_name_only(filter_)
            }
        try:
            super().__init__(data, queryset, request=request, prefix=prefix)
        finally:
            self.__dict__.pop("base_filters", None)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, minus the filter set where no parameter names one of its filters (the queryset would
    come back unchanged), and with only the named filters built where one is. A view's `filterset_fields` make a set of
    ours, so their filters are as strict."""

    filterset_base = FilterSet

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not _names_a_filter(request.query_params, filterset_class):
            return queryset
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        if issubclass(filterset_class, FilterSet):
            kwargs["named_only"] = True
        filterset = filterset_class(**kwargs)
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs


def _names_a_filter(params, filterset_class: type[DjangoFilterSet]) -> bool:
    names = filterset_class.base_filters
    return any(name in names or name.rpartition("_")[0] in names for name in params)


class SearchFilter(filters.SearchFilter):
    """DRF's ?search=, with a bound on the words: each word is one more OR of LIKEs over every search field, so a
    thousand words made a query SQLite refused (a 500) and PostgreSQL would have worked through at length."""

    MAX_TERMS = 10
    MAX_LENGTH = 500

    def get_search_terms(self, request) -> list[str]:
        raw = request.query_params.get(self.search_param, "")
        terms = super().get_search_terms(request)
        if len(raw) > self.MAX_LENGTH or len(terms) > self.MAX_TERMS:
            raise ValidationError(
                {self.search_param: [f"Search for at most {self.MAX_TERMS} words and {self.MAX_LENGTH} characters."]}
            )
        return terms
