from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.dashboard import completion_link, dashboard
from courses.models import CoursePage, LessonPage
from courses.progress import ProgressError, complete_lesson, enrol


@require_POST
@login_required
def enrol_view(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        _enrolment, created = enrol(learner=request.user, course=course)
    except ProgressError as error:
        messages.error(request, str(error))
        return redirect(course.get_url(request))
    if created:
        messages.success(request, _("You are enrolled. Good luck with the course!"))
    return redirect(course.get_url(request))


@require_POST
@login_required
def complete_lesson_view(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        progress = complete_lesson(learner=request.user, lesson=lesson)
    except ProgressError as error:
        return render(
            request,
            "courses/progress_error.html",
            {"message": str(error), "lesson": lesson},
            status=HttpResponseForbidden.status_code,
        )
    if progress.is_completed:
        # The last step: on to the certificate (name, download), then the
        # initiative's pilots and events.
        messages.success(request, _("Congratulations: you have completed the course!"))
        finish = completion_link(request=request, course=progress.course)
        return redirect(finish.url if finish else progress.course.get_url(request))
    _previous, following = progress.outline.neighbours(lesson.pk)
    messages.success(request, _("Lesson marked as completed."))
    return redirect(following.url if following else progress.course.get_url(request))


@require_GET
@login_required
def dashboard_view(request):
    page = dashboard(request=request)
    return render(
        request,
        "courses/dashboard.html",
        {"rows": page.rows, "sections": page.sections},
    )
