"""Organisers read applications and decide on them from a fresh database.

Permissions are normally created after all migrations run; they are created
here (as Django would name them) so that the group has them at once.
"""

from django.db import migrations

ORGANISERS = "Організатори"
PERMISSIONS = (
    ("view_application", "Can view application"),
    ("decide_application", "Can select, wait-list and decline applicants"),
)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    application_type, _ = ContentType.objects.get_or_create(
        app_label="content", model="application"
    )
    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    for codename, name in PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=application_type,
            codename=codename,
            defaults={"name": name},
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=ORGANISERS).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="content",
                codename__in=[codename for codename, _ in PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_pilots_and_events"),
        ("lms", "0006_role_admin_access"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
