from django.db import migrations


def load(apps, schema_editor):
    from lms.reference import OBLASTS, POSITION_CATEGORIES
    from lms.roles import ORGANISERS, REVIEWERS

    Oblast = apps.get_model("lms", "Oblast")
    PositionCategory = apps.get_model("lms", "PositionCategory")
    Group = apps.get_model("auth", "Group")
    for order, (code, name) in enumerate(OBLASTS):
        Oblast.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    for order, (code, name, service) in enumerate(POSITION_CATEGORIES):
        PositionCategory.objects.update_or_create(
            code=code,
            defaults={"name": name, "service": service, "sort_order": order},
        )
    for name in (REVIEWERS, ORGANISERS):
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
