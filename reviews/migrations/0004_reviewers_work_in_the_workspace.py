# Reviewers work in the workspace (/workspace/), and the admin is the editors' desk only: members who are reviewers
# and not editors (nor superusers) lose staff status, and the reviewers group loses the admin permissions that
# add_member used to give it (viewing assignments and claims).
#
# Reversing does nothing: whom to make staff again is not recorded, and the workspace is where reviewers work.

from django.conf import settings
from django.db import migrations

REVIEWERS, EDITORS = "reviewers", "editors"


def reviewers_leave_the_admin(apps, schema_editor):
    User = apps.get_model(settings.AUTH_USER_MODEL)
    Group = apps.get_model("auth", "Group")
    reviewer_only = (
        User.objects.filter(is_staff=True, is_superuser=False, groups__name=REVIEWERS)
        .exclude(groups__name=EDITORS)
        .values("pk")
    )
    User.objects.filter(pk__in=reviewer_only).update(is_staff=False)
    for group in Group.objects.filter(name=REVIEWERS):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_active_assignment_guard"),
        ("claims", "0002_desk_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(reviewers_leave_the_admin, migrations.RunPython.noop)]
