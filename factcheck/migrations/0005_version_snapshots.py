# Published versions copy what they show of the rating, its scale, the claimant and the report (see
# factcheck/record/snapshot.py). Versions published before this copy take today's values of those rows: the closest
# record of what they showed, and what their pages showed until now.

from django.db import migrations, models

BATCH = 500
# As factcheck/record/snapshot.py names them; copied here, as a migration must not import code that changes.
SNAPSHOT_FIELDS = [
    "rating_label",
    "rating_value",
    "rating_definition",
    "scale_name",
    "scale_best",
    "scale_worst",
    "claimant_name",
    "claimant_kind",
    "report_headline",
    "report_url",
    "report_outlet",
    "report_published_at",
]


def copy_shown_values(apps, schema_editor):
    version_model = apps.get_model("factcheck", "FactCheckVersion")
    versions = version_model.objects.select_related(
        "rating__scale", "fact_check__claim__claimant", "fact_check__claim__report"
    ).order_by("pk")
    batch = []
    for version in versions.iterator(chunk_size=BATCH):
        rating, claim = version.rating, version.fact_check.claim
        claimant, report = claim.claimant, claim.report
        version.rating_label = rating.label
        version.rating_value = rating.value
        version.rating_definition = rating.definition
        version.scale_name = rating.scale.name
        version.scale_best = rating.scale.best
        version.scale_worst = rating.scale.worst
        version.claimant_name = claimant.name if claimant else ""
        version.claimant_kind = claimant.kind if claimant else ""
        version.report_headline = report.headline if report else ""
        version.report_url = report.url if report else ""
        version.report_outlet = report.outlet if report else ""
        version.report_published_at = report.published_at if report else None
        batch.append(version)
        if len(batch) == BATCH:
            version_model.objects.bulk_update(batch, SNAPSHOT_FIELDS)
            batch = []
    if batch:
        version_model.objects.bulk_update(batch, SNAPSHOT_FIELDS)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0004_webhook_delivery_schedule")]

    operations = [
        migrations.AddField(
            model_name="factcheckversion",
            name="rating_label",
            field=models.CharField(default="", max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="rating_value",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="rating_definition",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="scale_name",
            field=models.CharField(default="", max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="scale_best",
            field=models.PositiveSmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="scale_worst",
            field=models.PositiveSmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="claimant_name",
            field=models.CharField(blank=True, help_text="Empty when the claim names no claimant.", max_length=200),
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="claimant_kind",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="report_headline",
            field=models.CharField(blank=True, help_text="Empty when the claim cites no report.", max_length=300),
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="report_url",
            field=models.URLField(blank=True, max_length=1000),
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="report_outlet",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="report_published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(copy_shown_values, migrations.RunPython.noop, elidable=True),
    ]
