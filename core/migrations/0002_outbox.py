# The transactional outbox (core/outbox.py).

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0001_idempotency_from_claims")]

    operations = [
        migrations.CreateModel(
            name="OutboxEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=40)),
                ("object_id", models.PositiveBigIntegerField()),
                (
                    "state",
                    models.CharField(
                        choices=[("pending", "Pending"), ("handled", "Handled")], default="pending", max_length=10
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("handled_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "indexes": [models.Index(fields=["state", "created_at"], name="core_outbox_state_created_idx")],
                "constraints": [models.UniqueConstraint(fields=("name", "object_id"), name="one_outbox_row_per_event")],
            },
        ),
    ]
