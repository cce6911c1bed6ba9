"""IdempotencyRecord moves from claims to core with its rows: the state moves, then the table is renamed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, *, old: str, new: str) -> None:
    # Permissions and admin log entries point at the content type; moving it keeps them.
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label=new, model="idempotencyrecord").exists():
        content_type.objects.filter(app_label=old, model="idempotencyrecord").update(app_label=new)


def forwards(apps, schema_editor):
    move_content_type(apps, schema_editor, old="claims", new="core")


def backwards(apps, schema_editor):
    move_content_type(apps, schema_editor, old="core", new="claims")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_reader_tips_and_idempotency"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("key", models.CharField(max_length=200)),
                        ("method", models.CharField(max_length=10)),
                        ("path", models.CharField(max_length=500)),
                        ("body_hash", models.CharField(max_length=64)),
                        ("state", models.CharField(choices=[("in_progress", "In Progress"), ("done", "Done")],
                                                   default="in_progress", max_length=12)),
                        ("response_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("response_body", models.JSONField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("user", models.ForeignKey(blank=True, null=True,
                                                   on_delete=django.db.models.deletion.CASCADE,
                                                   to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "claims_idempotencyrecord",
                        "indexes": [models.Index(fields=["created_at"], name="claims_idem_created_8c73b8_idx")],
                        "constraints": [models.UniqueConstraint(fields=("user", "key"),
                                                                name="one_record_per_user_key")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="idempotencyrecord", table=None),
        migrations.RunPython(forwards, backwards),
    ]
