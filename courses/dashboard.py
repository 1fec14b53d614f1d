"""Selector for «Моє навчання»: every course of a learner in three queries."""

from courses.models import Completion, Enrolment
from courses.outline import build_outlines
from courses.progress import CourseProgress, module_states


def learner_progresses(*, learner, request=None) -> list[CourseProgress]:
    """Progress in each course the learner is enrolled in, newest first."""
    enrolments = list(
        Enrolment.objects.filter(learner=learner)
        .select_related("course")
        .order_by("-enrolled_at")
    )
    courses = [enrolment.course for enrolment in enrolments]
    outlines = build_outlines(courses, request)
    done_by_course: dict[int, dict] = {course.pk: {} for course in courses}
    completions = Completion.objects.filter(learner=learner).values_list(
        "course_id", "page_id", "completed_at"
    )
    for course_id, page_id, completed_at in completions:
        done_by_course.setdefault(course_id, {})[page_id] = completed_at
    result = []
    for enrolment in enrolments:
        course, done_at = enrolment.course, done_by_course[enrolment.course_id]
        modules = module_states(
            course=course,
            outline=outlines[course.pk],
            done_at=done_at,
            completed=enrolment.completed_at is not None,
        )
        result.append(
            CourseProgress(course, outlines[course.pk], enrolment, done_at, modules)
        )
    return result


def dashboard_rows(*, request) -> list[CourseProgress]:
    return learner_progresses(learner=request.user, request=request)
