"""Which pages learners' records keep from deletion.

A record that must outlive content points at its page with ``PROTECT``
(enrolments, completed steps, quiz attempts, certificates, and whatever later
apps add the same way). The database refuses to delete such a page; this
module lets the admin refuse first, politely, for the single and the bulk
delete alike, by finding those relations from the models themselves.
"""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _
from wagtail.models import Page

# The apps whose records are learners' records (Wagtail's own are not).
RECORD_APPS = ("lms", "courses", "certificates", "content")


def protected_page_relations() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every PROTECT foreign key to a page type."""
    relations = []
    for model in apps.get_models():
        if model._meta.app_label not in RECORD_APPS:
            continue
        for field in model._meta.concrete_fields:
            if (
                field.many_to_one
                and issubclass(field.related_model, Page)
                and field.remote_field.on_delete is models.PROTECT
            ):
                relations.append((model, field.name))
    return relations


def has_learning_records(page: Page) -> bool:
    """Whether learners' records point at this page or below it."""
    subtree = Page.objects.filter(path__startswith=page.path).values("pk")
    return any(
        model._default_manager.filter(**{f"{name}__in": subtree}).exists()
        for model, name in protected_page_relations()
    )


def refusal_message(titles: list[str] | None = None) -> str:
    message = _(
        "Learners have records in this part of the course, so it cannot be "
        "deleted. Unpublish it instead: the records are kept."
    )
    if titles:
        message += " " + _("Pages with records: %(titles)s.") % {
            "titles": ", ".join(f"«{title}»" for title in titles)
        }
    return message
