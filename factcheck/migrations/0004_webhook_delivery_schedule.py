# Webhook retries are rows: each pending delivery says when the sweep sends it (again).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0003_webhooks_and_external_fact_checks")]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="webhookdelivery",
            index=models.Index(fields=["status", "next_attempt_at"], name="factcheck_delivery_due_idx"),
        ),
    ]
