from django.db import migrations, models

# Every vector stored before the label existed was written by the packaged model without an adapter.
PACKAGED = "all-MiniLM-L6-v2-0.1.0"


def label_stored_vectors(apps, schema_editor):
    MatchDocument = apps.get_model("claims", "MatchDocument")
    MatchDocument.objects.exclude(embedding=None).update(encoder=PACKAGED)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_report_ingestion"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchdocument",
            name="encoder",
            field=models.CharField(blank=True, default="", max_length=80),
        ),
        migrations.RunPython(label_stored_vectors, migrations.RunPython.noop, elidable=True),
    ]
