"""One active webhook endpoint per receiver URL, in the form claims.ingest.urls.url_key gives it.

Endpoints registered twice before the rule got every event twice. None is deleted: of the active endpoints that
share a receiver the oldest stays active and the others are paused, with their secrets, events and delivery logs, for
an editor to delete or point elsewhere. Migrating back leaves them paused.
"""

from django.db import migrations, models

from claims.ingest.urls import url_key


def key_endpoints_and_pause_repeats(apps, schema_editor) -> None:
    endpoints = apps.get_model("factcheck", "WebhookEndpoint").objects
    receiving: set[str] = set()
    for endpoint in endpoints.order_by("id").only("id", "url", "active"):
        key = url_key(endpoint.url)
        repeat = endpoint.active and key in receiving
        if endpoint.active:
            receiving.add(key)
        endpoints.filter(pk=endpoint.pk).update(url_key=key, active=endpoint.active and not repeat)


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0012_stored_search_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint",
            name="url_key",
            field=models.CharField(default="", editable=False, max_length=1000),
        ),
        migrations.RunPython(key_endpoints_and_pause_repeats, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="webhookendpoint",
            constraint=models.UniqueConstraint(
                condition=models.Q(("active", True)), fields=("url_key",), name="one_active_webhook_per_receiver"
            ),
        ),
    ]
