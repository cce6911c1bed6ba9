"""IdempotencyRecord now belongs to core (core.0001 adopted its table and rows); only the state forgets it here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_reader_tips_and_idempotency"),
        ("core", "0001_idempotency_from_claims"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyRecord")],
            database_operations=[],
        ),
    ]
