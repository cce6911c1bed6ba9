"""Report URL keys in the form claims.ingest.urls.url_key now writes: hosts in punycode, paths percent-encoded in
one case. Only keys that can change (non-ASCII or a percent sign) are rewritten; a key that now names a report
already stored keeps its old form, so no report is lost or merged."""

from django.db import migrations


def rewrite_keys(apps, schema_editor) -> None:
    from claims.ingest.urls import url_key

    Report = apps.get_model("claims", "Report")
    taken = set(Report.objects.exclude(url_key="").values_list("url_key", flat=True))
    for report in Report.objects.exclude(url_key="").only("pk", "url", "url_key").iterator(chunk_size=2000):
        if report.url_key.isascii() and "%" not in report.url_key:
            continue
        key = url_key(report.url)
        if key != report.url_key and key not in taken:
            Report.objects.filter(pk=report.pk).update(url_key=key)
            taken.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_topic_name_unique"),
    ]

    operations = [migrations.RunPython(rewrite_keys, migrations.RunPython.noop)]
