"""The admin: pages with learners' records are kept from deletion; quiz
building registers its own hooks (``courses/quizzes/admin/hooks.py``) when
imported here."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.models import Page

from courses.deletion import has_learning_records, refusal_message
from courses.quizzes.admin import hooks as quiz_hooks  # noqa: F401 - registers


@hooks.register("before_delete_page")
def keep_pages_with_learning_records(request, page):
    """Learners' records must outlive content; editors unpublish instead."""
    if has_learning_records(page):
        messages.error(request, refusal_message())
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def keep_pages_with_learning_records_in_bulk(request, action_type, objects, action):
    """The bulk delete refuses the same pages, with the same message.

    The whole action is refused, so nothing is deleted half-way.
    """
    if action_type != "delete" or not issubclass(action.model, Page):
        return None
    kept = [
        page.get_admin_display_title() for page in objects if has_learning_records(page)
    ]
    if not kept:
        return None
    messages.error(request, refusal_message(kept))
    return redirect(action.next_url or "wagtailadmin_explore_root")
