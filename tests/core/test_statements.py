"""A statement compiled once (core/statements.py) must give what its queryset gives, for any values bound to it."""

import threading

import pytest
from django.db import connection

from claims.models import Claim, Topic
from core.statements import Statement, hand_prefetched


@pytest.fixture
def claims(make_claim):
    Topic.objects.create(slug="trade", name="Торговля")
    Topic.objects.create(slug="energy", name="Energy")
    return [
        make_claim("Trade rose by 12% last year", claimant="Министр Анна", topics=["trade", "energy"]),
        make_claim("Exports doubled", claimant="وزير التجارة", topics=["trade"]),
        make_claim("Imports halved", claimant=""),
        make_claim("进口减半", claimant="王伟", language="zh-hans"),
    ]


def _values(ids):
    return Claim.objects.filter(pk__in=ids).order_by("-id").values("id", "text", "claimant__name", "created_at")


def test_rows_are_what_the_values_queryset_gives_for_any_keys(claims):
    statement = Statement(_values)
    ids = [claim.pk for claim in claims]
    for chosen in (ids, ids[:1], ids[2:], [ids[3], ids[0]], [ids[1], ids[1]], [10**9]):
        assert statement.rows(chosen) == list(_values(chosen))
    assert statement.rows([]) == []


def test_it_compiles_once_per_shape_and_binds_each_runs_values(claims, django_assert_num_queries):
    built = []
    statement = Statement(lambda text: built.append(text) or Claim.objects.filter(text=text).values("text"))

    for claim in claims:
        with django_assert_num_queries(1):
            assert statement.rows(claim.text) == [{"text": claim.text}]
    assert statement.rows("Nobody said this") == []
    assert len(built) == 1


def _claim_page(slug):
    return Claim.objects.select_related("claimant", "report").prefetch_related("topics").filter(claimant__slug=slug)


def test_instances_carry_their_related_rows_and_prefetched_lists(claims, django_assert_num_queries):
    statement = Statement(_claim_page)
    for claim in claims[:2]:
        expected = _claim_page(claim.claimant.slug).get()
        with django_assert_num_queries(2):  # the claim with its joins, then its topics
            (found,) = statement.instances(claim.claimant.slug)
        with django_assert_num_queries(0):
            assert (found.pk, found.text, found.created_at, found.status) == (
                expected.pk,
                expected.text,
                expected.created_at,
                expected.status,
            )
            assert (found.claimant.name, found.report.headline) == (expected.claimant.name, expected.report.headline)
            assert [t.name for t in found.topics.all()] == [t.name for t in expected.topics.all()]
    assert statement.instances("no-such-claimant") == []


def test_a_claim_without_a_claimant_has_none(claims):
    statement = Statement(lambda pk: Claim.objects.select_related("claimant").filter(pk=pk))
    (found,) = statement.instances(claims[2].pk)
    assert found.claimant is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # threads read on their own connections
def test_each_thread_gets_its_own_rows(claims):
    statement = Statement(_values)
    expected = {claim.pk: list(_values([claim.pk])) for claim in claims}
    found, failures = {}, []

    def read(pk):
        try:
            found[pk] = statement.rows([pk])
        except Exception as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(pk,)) for pk in expected]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert found == expected


def test_a_value_the_lookup_rewrites_cannot_be_bound(db):
    statement = Statement(lambda text: Claim.objects.filter(text__icontains=text).values("text"))
    with pytest.raises(ValueError, match="only values compared for equality or membership"):
        statement.rows("talks")


def test_rows_and_instances_are_not_mixed_up(claims):
    with pytest.raises(TypeError):
        Statement(lambda pk: Claim.objects.filter(pk=pk)).rows(claims[0].pk)
    with pytest.raises(TypeError):
        Statement(lambda pk: Claim.objects.filter(pk=pk).values("pk")).instances(claims[0].pk)


def test_handed_rows_are_what_the_relations_give_without_a_query(claims, django_assert_num_queries):
    claim = Claim.objects.get(pk=claims[0].pk)
    topics = Statement(lambda pk: Topic.objects.filter(claims=pk))
    handed = topics.instances(claim.pk)
    hand_prefetched(claim, "topics", handed)  # many-to-many
    report = claim.report
    hand_prefetched(report, "claims", [claim])  # one-to-many, from the other side

    with django_assert_num_queries(0):
        assert [t.name for t in claim.topics.all()] == ["Energy", "Торговля"]
        assert list(report.claims.all()) == [claim]
    # Narrowing a relation further asks the database, for the right rows.
    with django_assert_num_queries(1):
        assert [t.slug for t in claim.topics.filter(slug="trade")] == ["trade"]
