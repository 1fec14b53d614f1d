"""Editors and moderators build quizzes: question permissions and statistics.

Permissions are normally created after all migrations run, so they are made
here the way Django would name them, and found again by codename later.
"""

from django.db import migrations

GROUPS = ("Editors", "Moderators")
QUESTION_MODELS = {
    "question": "question",
    "singlechoicequestion": "single choice question",
    "multiplechoicequestion": "multiple choice question",
    "truefalsequestion": "true/false question",
    "shorttextquestion": "short text question",
    "numericquestion": "numeric question",
    "matchingquestion": "matching question",
    "orderingquestion": "ordering question",
}
ACTIONS = ("add", "change", "delete", "view")


def wanted(apps):
    """(model name, codename, name) of every permission the groups receive."""
    for model, verbose in QUESTION_MODELS.items():
        for action in ACTIONS:
            yield model, f"{action}_{model}", f"Can {action} {verbose}"
    yield "questionresult", "view_questionresult", "Can view question result"


def permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    found = []
    for model, codename, name in wanted(apps):
        content_type, _ = ContentType.objects.get_or_create(
            app_label="courses", model=model
        )
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        found.append(permission)
    return found


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    granted = permissions(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*granted)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [codename for _model, codename, _name in wanted(apps)]
    revoked = Permission.objects.filter(
        content_type__app_label="courses", codename__in=codenames
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*revoked)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0003_quizzes"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
