"""A retracted verdict's summary is withdrawn from the public search as from its page: the tombstone shows the claim
and its claimant, so those still find it; the summary no longer does. On SQLite and on PostgreSQL."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.cache import cache

from factcheck.models import FactCheck
from factcheck.record import services as publishing
from factcheck.record.models import search_document
from factcheck.record.selectors import search_fact_checks

CLAIM = "Exports doubled last year"
SUMMARY = "They rose by a tenth, says the zebrafinch ledger."


@pytest.fixture
def retracted(make_claim, publish, editor):
    fact_check = publish(make_claim(CLAIM, claimant="Ann Alpha"), summary=SUMMARY)
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="The ledger was forged.")
    return FactCheck.objects.get(pk=fact_check.pk)


def listed(client, query: str) -> list[str]:
    """The slugs the public list links to for a search."""
    cache.clear()
    html = client.get("/fact-checks/", {"q": query}).content.decode()
    return sorted(set(re.findall(r'href="/fact-checks/([^/"?]+)/"', html)))


def found(words: str) -> list[str]:
    return [fact_check.claim.text for fact_check in search_fact_checks(text=words)]


def test_a_retracted_verdict_is_not_found_by_its_withdrawn_summary(client, retracted):
    assert found("zebrafinch") == [] and found("tenth ledger") == []
    assert listed(client, "zebrafinch") == []
    assert "zebrafinch" not in retracted.search_document


def test_a_retracted_verdict_is_still_found_by_what_its_tombstone_shows(client, retracted):
    assert found("exports doubled") == [CLAIM]
    assert found("alpha") == [CLAIM]
    assert listed(client, "exports doubled") == [retracted.slug]


def test_a_standing_verdict_is_still_found_by_its_summary(make_claim, publish, retracted):
    publish(make_claim("Imports halved", claimant="Bo Beta", quote=""), summary="The zebrafinch index says no.")

    assert found("zebrafinch") == ["Imports halved"]


def test_the_migration_drops_the_summary_of_verdicts_retracted_before_it(retracted):
    migration = importlib.import_module("factcheck.migrations.0014_retracted_summaries_unsearched")
    FactCheck.objects.filter(pk=retracted.pk).update(search_document=search_document(CLAIM, "Ann Alpha", SUMMARY))

    migration.drop_retracted_summaries(apps, schema_editor=None)

    document = FactCheck.objects.get(pk=retracted.pk).search_document
    assert "zebrafinch" not in document and CLAIM in document and "Ann Alpha" in document
    assert found("zebrafinch") == []
