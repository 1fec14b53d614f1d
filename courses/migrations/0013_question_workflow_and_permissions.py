"""Questions go through the moderation workflow that pages go through.

- Each question type gets the workflow assigned to the root page (Wagtail's
  «Moderators approval»). Wagtail looks a snippet's workflow up by its own
  content type (``WorkflowMixin.get_default_workflow``), so every type is
  assigned, not the polymorphic base ``Question``.
- Moderators may publish, lock and unlock questions; editors may lock them
  (and unlock their own locks, which needs no permission). Editors keep
  add, change and delete from ``0004``: the permission policy lets only those
  who may publish delete a live question (``courses/quizzes/models/permissions``).

Permissions are normally created after all migrations run (Wagtail's snippets
app adds ``publish``, ``lock`` and ``unlock`` then), so they are made here the
way Wagtail names them, and found again by codename later.
"""

from django.db import migrations

QUESTION_TYPES = {
    "singlechoicequestion": "single choice question",
    "multiplechoicequestion": "multiple choice question",
    "truefalsequestion": "true/false question",
    "shorttextquestion": "short text question",
    "numericquestion": "numeric question",
    "matchingquestion": "matching question",
    "orderingquestion": "ordering question",
}
GRANTS = {
    "Moderators": ("publish", "lock", "unlock"),
    "Editors": ("lock",),
}


def _content_types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return {
        model: ContentType.objects.get_or_create(app_label="courses", model=model)[0]
        for model in QUESTION_TYPES
    }


def _default_workflow(apps):
    """The workflow of the root page, which every page falls under."""
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    assignment = (
        WorkflowPage.objects.filter(workflow__active=True)
        .select_related("workflow")
        .order_by("page__depth")
        .first()
    )
    return assignment.workflow if assignment else None


def assign_workflow(apps, schema_editor):
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    workflow = _default_workflow(apps)
    if workflow is None:
        return  # no page workflow either: nothing to follow
    for content_type in _content_types(apps).values():
        WorkflowContentType.objects.get_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )


def unassign_workflow(apps, schema_editor):
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowContentType.objects.filter(
        content_type__app_label="courses", content_type__model__in=QUESTION_TYPES
    ).delete()


def _permissions(apps, actions):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for model, content_type in _content_types(apps).items():
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {QUESTION_TYPES[model]}"},
            )
            found.append(permission)
    return found


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, actions in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*_permissions(apps, actions))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, actions in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, actions))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0012_question_moderation"),
        ("wagtailcore", "0083_workflowcontenttype"),
    ]

    operations = [
        migrations.RunPython(assign_workflow, unassign_workflow),
        migrations.RunPython(grant, revoke),
    ]
