# Ratings get a badge colour chosen by editors, and versions freeze it like the label. The default scale's ratings get
# colours from red (false) to green (true), grey off the scale; versions already published take their rating's colour,
# which is what their pages show from now on. Versions also record the reviewer; older ones leave it empty.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import factcheck.record.models

# Each passes WCAG AA (4.5:1) with white text, as factcheck.record.models.validate_rating_colour requires.
DEFAULT_COLOURS = {
    "false": "#8b1a1a",  # dark red
    "mostly-false": "#9a4a0c",  # orange-brown
    "half-true": "#7a5c00",  # amber
    "mostly-true": "#2e6b30",  # green
    "true": "#1e5631",  # dark green
}
BATCH = 500


def colour_the_default_scale(apps, schema_editor):
    rating_model = apps.get_model("factcheck", "Rating")
    for slug, colour in DEFAULT_COLOURS.items():
        rating_model.objects.filter(scale__slug="accuracy", slug=slug).update(colour=colour)


def copy_colours_to_versions(apps, schema_editor):
    version_model = apps.get_model("factcheck", "FactCheckVersion")
    batch = []
    for version in version_model.objects.select_related("rating").order_by("pk").iterator(chunk_size=BATCH):
        version.rating_colour = version.rating.colour
        batch.append(version)
        if len(batch) == BATCH:
            version_model.objects.bulk_update(batch, ["rating_colour"])
            batch = []
    if batch:
        version_model.objects.bulk_update(batch, ["rating_colour"])


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0005_version_snapshots"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="rating",
            name="colour",
            field=models.CharField(
                default="#595959",
                help_text=(
                    "Background of the rating's badge, e.g. #8b1a1a; its text is white, so it must be dark enough."
                ),
                max_length=7,
                validators=[factcheck.record.models.validate_rating_colour],
            ),
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="rating_colour",
            field=models.CharField(default="#595959", max_length=7),
        ),
        migrations.AddField(
            model_name="factcheckversion",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(colour_the_default_scale, migrations.RunPython.noop),
        migrations.RunPython(copy_colours_to_versions, migrations.RunPython.noop),
    ]
