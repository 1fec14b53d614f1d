"""``is_staff`` from now on means "may open the admin" (lms/admin_access.py):
set it once for the accounts that exist."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def set_staff_flags(apps, schema_editor):
    User = apps.get_model("lms", "User")
    Permission = apps.get_model("auth", "Permission")
    access = {"content_type__app_label": "wagtailadmin", "codename": "access_admin"}
    direct = Permission.objects.filter(user=OuterRef("pk"), **access)
    through_group = Permission.objects.filter(group__user=OuterRef("pk"), **access)
    allowed = User.objects.filter(
        Q(is_superuser=True) | Q(Exists(direct)) | Q(Exists(through_group))
    )
    allowed.filter(is_staff=False).update(is_staff=True)
    User.objects.exclude(pk__in=allowed.values("pk")).filter(is_staff=True).update(
        is_staff=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0009_demo_hromadas_real_codes"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(set_staff_flags, migrations.RunPython.noop)]
