"""One topic per name, whatever its case. Topics that share a name already keep their slugs (links to them still
work) and are told apart by a number: the second "Economy" becomes "Economy (2)" for an editor to merge or rename."""

import django.db.models.functions.text
from django.db import migrations, models


def number_the_repeated_names(apps, schema_editor) -> None:
    Topic = apps.get_model("claims", "Topic")
    seen: dict[str, int] = {}
    for topic in Topic.objects.order_by("pk"):
        key = topic.name.lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            topic.name = f"{topic.name[:90]} ({seen[key]})"
            topic.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_match_document_encoder"),
    ]

    operations = [
        migrations.RunPython(number_the_repeated_names, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"), name="topic_name_unique_ci"
            ),
        ),
    ]
