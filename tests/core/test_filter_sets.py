"""Filter sets built from the filters a request names answer exactly as django-filter's whole set does: the same
rows, the same errors, ranges by their suffixed parameters; the browsable API's filter form still shows them all."""

import pytest
from django.http import QueryDict
from django_filters import DateFromToRangeFilter

from claims.models import Claim
from core.filters import FilterSet
from reviews.api_claims import DeskClaimFilter

pytestmark = pytest.mark.django_db


class RangeFilter(FilterSet):
    created = DateFromToRangeFilter(field_name="created_at")

    class Meta:
        model = Claim
        fields = ["language"]


def _both(filterset_class, query: str):
    data = QueryDict(query)
    whole = filterset_class(data, Claim.objects.order_by("id"))
    lean = filterset_class(data, Claim.objects.order_by("id"), named_only=True)
    return whole, lean


@pytest.mark.parametrize(
    "query",
    [
        "status=submitted",
        "status=submitted&status=accepted&language=ru",
        "language=en&claimant=minister-jane-roe",
        "status=nonsense",
        "claim_date_after=yesterday&priority=urgent",
        "report=999999",
        "cold=1&cursor=abc",
    ],
)
def test_a_set_of_the_named_filters_answers_as_the_whole_set(make_claim, query):
    make_claim("The talks lasted more than five hours")
    make_claim("Переговоры длились более пяти часов", language="ru", claimant="Анна Иванова")

    whole, lean = _both(DeskClaimFilter, query)

    assert lean.is_valid() == whole.is_valid()
    assert lean.errors == whole.errors
    if whole.is_valid():
        assert list(lean.qs) == list(whole.qs)


def test_only_the_named_filters_are_built(db):
    _, lean = _both(DeskClaimFilter, "status=submitted&cold=1")

    assert list(lean.filters) == ["status"]
    assert "status" in DeskClaimFilter.base_filters and len(DeskClaimFilter.base_filters) > 5


def test_a_range_is_read_from_its_suffixed_parameters(make_claim):
    make_claim("The talks lasted more than five hours")

    whole, lean = _both(RangeFilter, "created_after=2999-01-01")

    assert "created" in lean.filters
    assert list(lean.qs) == list(whole.qs) == []


def test_the_browsable_api_shows_every_filter_while_one_is_named(client, editor):
    client.force_login(editor)

    page = client.get("/api/v1/claims/?status=queued", HTTP_ACCEPT="text/html").content.decode()

    assert 'name="claim_date_after"' in page and 'name="priority"' in page
