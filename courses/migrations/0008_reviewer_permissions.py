"""НАДС reviewers read enrolments (the completion report, transcripts,
statistics); they change nothing."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="Рецензенти НАДС")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="courses", model="enrolment"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_enrolment",
        defaults={"name": "Can view enrolment"},
    )
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_backfill_enrolment_records"),
        ("lms", "0006_role_admin_access"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
