"""НАДС reviewers download any learner's certificate; the register they could
already view (0002). Neither changes anything."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="Рецензенти НАДС")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="certificates", model="certificate"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="download_any_certificate",
        defaults={"name": "Can download any learner's certificate"},
    )
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_review_access_log"),
        ("lms", "0006_role_admin_access"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
