"""A report records when claim tracking matched its sentences (`tracked_at`), so that the report sweep finds a ready
report whose tracking task was lost and tracks it.

Reports read before this cannot tell whether their tracking ran. Those created more than a day before the migration
are stamped as tracked (when the migration ran): the sweep would otherwise match the whole archive again at deploy.
Newer ones are left to the sweep, which tracks again any lost in a recent outage; tracking twice records nothing
twice. The column is nullable with no default, so processes still running the previous code keep writing reports
while the migration runs. Undone, the column goes."""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone

# Ready reports created within this span before the migration are left for the sweep to track (again).
RETRACK_RECENT = timedelta(days=1)


def stamp_earlier_reports(apps, schema_editor) -> None:
    Report = apps.get_model("claims", "Report")
    now = timezone.now()
    Report.objects.filter(status="ready", tracked_at=None, created_at__lt=now - RETRACK_RECENT).update(tracked_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0015_report_article_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="tracked_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("status", "ready"), ("tracked_at", None)),
                fields=["id"],
                name="report_untracked_idx",
            ),
        ),
        migrations.RunPython(stamp_earlier_reports, migrations.RunPython.noop),
    ]
