"""Reviewers and organisers enter the Wagtail admin on a fresh database.

Wagtail's own migration gives admin access to its Editors and Moderators
only; the project's two role groups get it here, so production needs no
demo command to let them in.
"""

from django.db import migrations

GROUPS = ("Рецензенти НАДС", "Організатори")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailadmin", model="admin"
    )
    access, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access)


class Migration(migrations.Migration):
    # After Wagtail's migrations that give every group with admin access the
    # permission to choose images and documents: these groups must not get it.
    dependencies = [
        ("lms", "0005_reviewer_oblasts"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
