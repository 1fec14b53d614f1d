from django.db import migrations

# (model, codename, name) given to each group.
EDITORS = [
    ("certificatedesign", "add_certificatedesign", "Can add certificate design"),
    ("certificatedesign", "change_certificatedesign", "Can change certificate design"),
    ("certificatedesign", "view_certificatedesign", "Can view certificate design"),
    (
        "certificatedesign",
        "publish_certificatedesign",
        "Can publish certificate design",
    ),
]
REVIEWERS = [("certificate", "view_certificate", "Can view certificate")]
PLAN = {"Editors": EDITORS, "Moderators": EDITORS, "Рецензенти НАДС": REVIEWERS}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, wanted in PLAN.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for model, codename, name in wanted:
            content_type, _ = ContentType.objects.get_or_create(
                app_label="certificates", model=model
            )
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("lms", "0002_reference_data"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
