"""A report knows its article's own address: `article_key`, the key of the address its page was read from. Reports
read before this are given it from what is stored, without the network: the final URL after redirects that the
fetch recorded in its audit note ("Read N characters from <url>."), else the submitted URL, in the key's current
form (tracking parameters such as `ref` now left out). A report read from a redirect takes that final URL as its
`url`, so public output names the article rather than the short link. Undone, the keys go and the URLs stay."""

import re

from django.db import migrations, models

_READ_FROM = re.compile(r"^Read \d+ characters from (\S+)\.(?:\s|$)")


def final_urls(apps) -> dict[int, str]:
    """Each fetched report's final URL, as its latest "ready" audit note recorded it."""
    ReportEvent = apps.get_model("claims", "ReportEvent")
    notes = ReportEvent.objects.filter(to_status="ready", note__startswith="Read ").order_by("at", "id")
    found: dict[int, str] = {}
    for report_id, note in notes.values_list("report_id", "note").iterator(chunk_size=2000):
        if match := _READ_FROM.match(note):
            found[report_id] = match[1]
    return found


def fill_article_keys(apps, schema_editor) -> None:
    from claims.ingest.urls import MAX_ADDRESS, is_web_address, url_key

    Report = apps.get_model("claims", "Report")
    finals = final_urls(apps)
    for report in Report.objects.exclude(url="").only("pk", "url").iterator(chunk_size=2000):
        final = finals.get(report.pk, "")
        # Trusted as the fetcher wrote it, but only a web address that fits is published as the article's.
        url = final if final and len(final) <= MAX_ADDRESS and is_web_address(final, allow_private=True) else report.url
        Report.objects.filter(pk=report.pk).update(url=url, article_key=url_key(url))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_topic_name_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="article_key",
            field=models.CharField(blank=True, editable=False, max_length=1000),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("article_key", ""), _negated=True),
                fields=["article_key"],
                name="report_article_idx",
            ),
        ),
        migrations.RunPython(fill_article_keys, migrations.RunPython.noop),
    ]
