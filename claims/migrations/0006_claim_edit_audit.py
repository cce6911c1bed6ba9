# Edits of a claim's wording are audited beside its status changes: a kind, and each changed field's old and new value.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_slugs_in_any_script")]

    operations = [
        migrations.AddField(
            model_name="claimevent",
            name="changes",
            field=models.JSONField(blank=True, default=dict, help_text="For an edit: each changed field's [old, new]."),
        ),
        migrations.AddField(
            model_name="claimevent",
            name="kind",
            field=models.CharField(
                choices=[("transition", "Transition"), ("edit", "Edit")], default="transition", max_length=12
            ),
        ),
    ]
