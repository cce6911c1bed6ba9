"""Topic names compared as claimant names are (core.text.name_key: case, spacing and Unicode form folded), through a
unique key instead of the index on lower(name), which SQLite folds for ASCII letters only. A topic whose name now
repeats another's is numbered, as 0011 did, its slug (and links) unchanged."""

from django.db import migrations, models


def fill_name_keys(apps, schema_editor) -> None:
    from core.text import name_key

    Topic = apps.get_model("claims", "Topic")
    taken: set[str] = set()
    for topic in Topic.objects.order_by("pk"):
        name, n = topic.name, 1
        while name_key(name) in taken:
            n += 1
            name = f"{topic.name[:90]} ({n})"
        topic.name, topic.name_key = name, name_key(name)
        taken.add(topic.name_key)
        topic.save(update_fields=["name", "name_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_claim_date_not_in_the_future"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="topic", name="topic_name_unique_ci"),
        migrations.AddField(
            model_name="topic",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="topic",
            name="name_key",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
