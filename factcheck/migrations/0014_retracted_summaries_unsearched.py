"""A retracted verdict's withdrawn summary leaves the public search.

Retractions saved before FactCheck.save dropped it kept the summary in `search_document` (and in the stored lexemes
PostgreSQL computes from it). Each is written again from what its tombstone shows: the claim and its claimant's
names. Migrating back leaves them so: a withdrawn summary is not made findable again.
"""

from django.db import migrations

from factcheck.record.models import search_document


def drop_retracted_summaries(apps, schema_editor) -> None:
    fact_checks = apps.get_model("factcheck", "FactCheck").objects
    retracted = fact_checks.filter(retracted_at__isnull=False).select_related("claim__claimant", "current_version")
    for fact_check in retracted.iterator(chunk_size=500):
        claim, version = fact_check.claim, fact_check.current_version
        frozen_name = version.claimant_name if version is not None else ""
        live_name = claim.claimant.name if claim.claimant_id else ""
        document = search_document(claim.text, frozen_name, *([live_name] if live_name != frozen_name else []))
        fact_checks.filter(pk=fact_check.pk).update(search_document=document)


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0013_one_active_webhook_per_receiver"),
    ]

    operations = [
        migrations.RunPython(drop_retracted_summaries, migrations.RunPython.noop, elidable=True),
    ]
