"""Who may read a lesson: open previews, enrolled learners, and staff."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from courses.outline import outline_version
from courses.progress import CourseProgress


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
        if may_read_without_enrolment(user):
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
    return None


CACHE_SECONDS = 10 * 60


@dataclass
class CachedPage:
    response: object = None


def _may_cache(request) -> bool:
    """Only a visitor with no session, no messages and no preview: the same
    HTML for everyone, with no CSRF token or personal detail in it."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.GET
    )


@contextmanager
def anonymous_page_cache(request, page):
    """Serves open lessons to anonymous visitors from the shared cache.

    The key carries the outline version, which changes with every publish,
    unpublish, move or delete, so a cached copy never outlives its content.
    """
    cached = CachedPage()
    key = None
    if _may_cache(request):
        key = f"courses:page-html:{outline_version()}:{page.pk}"
        content = cache.get(key)
        if content is not None:
            cached.response = HttpResponse(content)
    yield cached
    response = cached.response
    if key and response is not None and response.status_code == 200:
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if not response.cookies:
            cache.set(key, response.content, CACHE_SECONDS)
