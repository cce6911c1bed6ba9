"""Claimants get a unique name key (case, spacing and Unicode form folded) so that parallel submissions naming one
new claimant meet at a constraint; slugs may be left empty in the admin and are then made from the name.

Existing slugs stay as they are: they may already be in links.
"""

import hashlib

from django.db import migrations, models

from core.text import name_key


def fill_name_keys(apps, schema_editor):
    Claimant = apps.get_model("claims", "Claimant")
    seen: set[str] = set()
    claimants = list(Claimant.objects.order_by("pk"))
    for claimant in claimants:
        key = name_key(claimant.name)
        if key in seen:
            # Two rows the admin let in whose names differ only in case or form: the older keeps the key that
            # submissions match; the newer gets one no name produces, until an editor renames or merges it.
            key = hashlib.sha256(f"duplicate {claimant.pk} of {key}".encode()).hexdigest()
        seen.add(key)
        claimant.name_key = key
    Claimant.objects.bulk_update(claimants, ["name_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_idempotency_moves_to_core")]

    operations = [
        migrations.AddField(
            model_name="claimant",
            name="name_key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="claimant",
            name="name_key",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="claimant",
            name="slug",
            field=models.SlugField(
                blank=True, help_text="Made from the name when left empty.", max_length=220, unique=True
            ),
        ),
    ]
