"""Selector for «Моє навчання»: every course of a learner in three queries."""

from collections.abc import Callable
from dataclasses import dataclass

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


# Higher layers add to each dashboard row without courses importing them:
# an extension is ``func(*, request, progresses) -> {course_id: safe HTML}``
# and must use a fixed number of queries for all rows together.
_row_extensions: list[Callable] = []


def register_row_extension(func: Callable) -> Callable:
    """Adds HTML under each course on «Моє навчання» (used by certificates)."""
    if func not in _row_extensions:
        _row_extensions.append(func)
    return func


@dataclass
class DashboardRow:
    progress: CourseProgress
    extras: list[str]


# Higher layers add whole sections below the course list the same way: a
# section is ``func(*, request, progresses) -> safe HTML`` ("" to add nothing),
# with a fixed number of queries.
_sections: list[Callable] = []


def register_section(func: Callable) -> Callable:
    """Adds a section below the courses on «Моє навчання» (used by content)."""
    if func not in _sections:
        _sections.append(func)
    return func


# What a learner who has completed a course may do next, offered on pages
# that follow a completion (the certificate pages): ``func(*, request) -> safe
# HTML`` ("" to add nothing), with a fixed number of queries.
_after_completion: list[Callable] = []


def register_after_completion(func: Callable) -> Callable:
    if func not in _after_completion:
        _after_completion.append(func)
    return func


def after_completion(*, request) -> list[str]:
    """The registered invitations for a learner who has completed a course."""
    return [html for func in _after_completion if (html := func(request=request))]


@dataclass(frozen=True)
class NextLink:
    """A link offered as the next thing to do: the words and the address."""

    label: str
    url: str


# Where a learner who has completed a course goes from the course's own pages
# (the quiz result, the lesson, the course page): certificates registers its
# page for the course. ``func(*, request, course) -> NextLink | None``, with
# no queries; the first link given wins.
_completion_links: list[Callable] = []


def register_completion_link(func: Callable) -> Callable:
    if func not in _completion_links:
        _completion_links.append(func)
    return func


def completion_link(*, request, course) -> NextLink | None:
    """The next thing to do after completing ``course``; None if nothing is."""
    for func in _completion_links:
        if (link := func(request=request, course=course)) is not None:
            return link
    return None


@dataclass
class Dashboard:
    """«Моє навчання»: a row per course, then the sections of other apps."""

    rows: list[DashboardRow]
    sections: list[str]


def dashboard(*, request) -> Dashboard:
    progresses = learner_progresses(learner=request.user, request=request)
    extras = [func(request=request, progresses=progresses) for func in _row_extensions]
    rows = [
        DashboardRow(
            p, [extra[p.course.pk] for extra in extras if p.course.pk in extra]
        )
        for p in progresses
    ]
    sections = [
        html
        for func in _sections
        if (html := func(request=request, progresses=progresses))
    ]
    return Dashboard(rows, sections)
