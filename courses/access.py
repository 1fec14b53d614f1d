"""Who may read a lesson: open previews, enrolled learners, and staff."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from courses.progress import CourseProgress, record_last_opened


def may_read_without_enrolment(user) -> bool:
    """People who work in the admin (editors, reviewers) read lessons freely."""
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def lesson_gate(*, request, lesson, progress: CourseProgress | None):
    """None when the lesson may be shown, else the response that refuses it."""
    if getattr(request, "is_preview", False):
        return None
    user = request.user
    if lesson.is_preview and not (progress and progress.is_enrolled):
        return None
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if progress is None or not progress.is_enrolled:
        if may_read_without_enrolment(user) or lesson.is_preview:
            return None
        messages.info(request, _("Enrol in the course to open its lessons."))
        return redirect(progress.course.get_url(request) if progress else "/")
    module = progress.module_state_of_step(lesson.pk)
    if module is not None and module.locked:
        return TemplateResponse(
            request,
            "courses/module_locked.html",
            {"page": lesson, "module_state": module, "progress": progress},
            status=403,
        )
    record_last_opened(enrolment=progress.enrolment, page=lesson)
    return None
