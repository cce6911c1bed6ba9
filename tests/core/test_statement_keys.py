"""A list's keys read by pages through compiled statements (core.statement_keys) are the queryset's, page for page."""

import pytest
from django.core.paginator import Paginator
from django.db import connection

from claims.models import Claim
from core.statement_keys import StatementKeys
from core.statements import Statement


def _by_language(language):
    # Ties on created_at are broken by id, as every list's order is.
    return Claim.objects.filter(language=language).order_by("-created_at", "-id").values("pk")


BY_LANGUAGE = Statement(_by_language)
BY_LANGUAGE_UNORDERED = Statement(lambda language: _by_language(language).order_by())


@pytest.fixture
def claims(make_claim):
    made = [make_claim(f"Claim {n}", language="ru" if n % 3 else "en") for n in range(11)]
    # Equal times: the order must still be the one the queryset gives.
    Claim.objects.filter(pk__in=[c.pk for c in made[:4]]).update(created_at=made[0].created_at)
    return made


def keys(language: str) -> StatementKeys:
    return StatementKeys(BY_LANGUAGE, BY_LANGUAGE_UNORDERED, language, table=Claim._meta.db_table)


@pytest.mark.parametrize("language", ["ru", "en", "zh-hans"])
def test_pages_are_the_querysets_pages(claims, language):
    expected = [row["pk"] for row in _by_language(language)]
    for per_page in (1, 3, 20):
        ours, theirs = Paginator(keys(language), per_page), Paginator(expected, per_page)
        assert ours.count == theirs.count == len(expected)
        assert [list(ours.page(n)) for n in ours.page_range] == [list(theirs.page(n)) for n in theirs.page_range]


def test_a_count_can_stop_early(claims, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert keys("ru").count_up_to(3) == 3
    assert keys("ru").count_up_to(100) == keys("ru").count() == 7
    assert keys("zh-hans").count_up_to(3) == 0


def test_only_bounded_slices_are_read(claims):
    with pytest.raises(TypeError):
        keys("ru")[2:]
    with pytest.raises(TypeError):
        keys("ru")[0]
    assert keys("ru")[3:3] == []


def test_a_statement_read_by_pages_must_not_be_sliced_already(claims):
    sliced = Statement(lambda language: _by_language(language)[:2])
    assert len(sliced.rows("ru")) == 2
    with pytest.raises(ValueError, match="sliced already"):
        sliced.rows("ru", limit=1)


def test_a_query_that_can_match_nothing_counts_nothing(claims, django_assert_num_queries):
    nothing = Statement(lambda: Claim.objects.filter(pk__in=[]).values("pk"))
    empty = StatementKeys(nothing, nothing, table=Claim._meta.db_table)
    with django_assert_num_queries(0):
        assert (empty[0:20], empty.count(), empty.count_up_to(5), empty.estimate()) == ([], 0, 0, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates are PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_estimate_is_the_planners_once_there_are_statistics(claims):
    table = Claim._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    assert keys("ru").estimate() == 7  # ANALYZE read every row of so small a table
