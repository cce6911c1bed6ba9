"""List filters over the claims app's own fields; the desk adds the filters that need its data."""

from django_filters import rest_framework as filters

from claims.models import Claim, ClaimStatus, Priority, Report
from core.filters import DateTimeFilter, FilterSet, IdFilter, LanguageFilter


class ReportFilter(FilterSet):
    language = LanguageFilter()
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")

    class Meta:
        model = Report
        fields = ["language"]


class ClaimFilter(FilterSet):
    # A claim's own column cannot match twice, so no DISTINCT (django-filter's default for this filter), which made
    # the database sort every column of every matching claim to drop duplicates there could not be.
    status = filters.MultipleChoiceFilter(
        choices=ClaimStatus.choices, distinct=False, help_text="Repeat for several statuses."
    )
    language = LanguageFilter()
    priority = filters.ChoiceFilter(choices=Priority.choices)
    topic = filters.CharFilter(field_name="topics__slug", help_text="Topic slug.")
    claimant = filters.CharFilter(field_name="claimant__slug", help_text="Claimant slug.")
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    claim_date_after = filters.DateFilter(field_name="claim_date", lookup_expr="gte")
    claim_date_before = filters.DateFilter(field_name="claim_date", lookup_expr="lte")
    # A number, not a choice among every report: "not a valid choice" for a missing id but an empty page for
    # another journalist's report told which ids exist. Now both are an empty page (a non-id is a 400).
    report = IdFilter(field_name="report_id", help_text="Report id.")

    class Meta:
        model = Claim
        fields = ["report"]
