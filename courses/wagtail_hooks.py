from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from courses.models import Completion, Enrolment


def has_learning_records(page: Page) -> bool:
    """Whether learners' records point at this page or below it."""
    pages = Page.objects.filter(path__startswith=page.path).values("pk")
    return (
        Enrolment.objects.filter(course_id__in=pages).exists()
        or Completion.objects.filter(page_id__in=pages).exists()
    )


@hooks.register("before_delete_page")
def keep_pages_with_learning_records(request, page):
    """Learners' records must outlive content; editors unpublish instead."""
    if has_learning_records(page):
        messages.error(
            request,
            _(
                "Learners have records in this part of the course, so it cannot be "
                "deleted. Unpublish it instead: the records are kept."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
