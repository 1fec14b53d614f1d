"""Certificate designs go through the moderation workflow that pages go through.

- Wagtail's default workflow and its one task, both called «Moderators
  approval» by Wagtail's migrations, get Ukrainian names: editors read
  them on the submit button («Надіслати на розгляд: …»), in the moderation
  e-mails and in the workflow history. So do the root page and the root
  collection («Root»), which the admin's breadcrumbs and collection lists
  show. Only the English default names are renamed, so running this again,
  or after an administrator renamed them, changes nothing.
- ``CertificateDesign`` gets the workflow assigned to the root page, which
  every page falls under (Wagtail looks a snippet's workflow up by its content
  type).
- Editors may no longer publish a design (they lock and submit it);
  moderators publish, lock and unlock. ``publish``, ``lock`` and ``unlock``
  are normally created by Wagtail after all migrations run, so they are made
  here the way Wagtail names them and found again by codename later.
"""

from django.db import migrations

MODERATION = "Затвердження модератором"
# (app, model, field): {Wagtail's English default: Ukrainian}
NAMES = {
    ("wagtailcore", "Workflow", "name"): {"Moderators approval": MODERATION},
    ("wagtailcore", "Task", "name"): {"Moderators approval": MODERATION},
    ("wagtailcore", "Page", "title"): {"Root": "Корінь"},
    ("wagtailcore", "Page", "draft_title"): {"Root": "Корінь"},
    ("wagtailcore", "Collection", "name"): {"Root": "Корінь"},
}
ROOTS_ONLY = {"Page", "Collection"}  # their depth-1 node, not any «Root»

MODEL = "certificatedesign"
VERBOSE_NAME = "certificate design"
GRANTS = {"Moderators": ("publish", "lock", "unlock"), "Editors": ("lock",)}
REVOKES = {"Editors": ("publish",)}
# Going back removes only what 0002 had not given (it gave both groups publish).
NEW_GRANTS = {"Moderators": ("lock", "unlock"), "Editors": ("lock",)}


def _rename(apps, *, reverse: bool) -> None:
    for (app, model, field), names in NAMES.items():
        rows = apps.get_model(app, model).objects
        if model in ROOTS_ONLY:
            rows = rows.filter(depth=1)
        for old, new in names.items():
            if reverse:
                old, new = new, old
            rows.filter(**{field: old}).update(**{field: new})


def ukrainian_names(apps, schema_editor):
    _rename(apps, reverse=False)


def english_names(apps, schema_editor):
    _rename(apps, reverse=True)


def _content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="certificates", model=MODEL)[0]


def _root_workflow(apps):
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
    workflow = _root_workflow(apps)
    if workflow is None:
        return  # no page workflow either: nothing to follow
    WorkflowContentType.objects.get_or_create(
        content_type=_content_type(apps), defaults={"workflow": workflow}
    )


def unassign_workflow(apps, schema_editor):
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowContentType.objects.filter(content_type=_content_type(apps)).delete()


def _permissions(apps, actions):
    Permission = apps.get_model("auth", "Permission")
    content_type = _content_type(apps)
    return [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{MODEL}",
            defaults={"name": f"Can {action} {VERBOSE_NAME}"},
        )[0]
        for action in actions
    ]


def _change(apps, add: dict, remove: dict) -> None:
    Group = apps.get_model("auth", "Group")
    for name, actions in add.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*_permissions(apps, actions))
    for name, actions in remove.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, actions))


def moderators_publish(apps, schema_editor):
    _change(apps, add=GRANTS, remove=REVOKES)


def editors_publish_again(apps, schema_editor):
    _change(apps, add=REVOKES, remove=NEW_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("certificates", "0006_design_locking"),
        ("wagtailcore", "0083_workflowcontenttype"),
    ]

    operations = [
        migrations.RunPython(ukrainian_names, english_names),
        migrations.RunPython(assign_workflow, unassign_workflow),
        migrations.RunPython(moderators_publish, editors_publish_again),
    ]
