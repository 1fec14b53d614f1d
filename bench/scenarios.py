"""The pages the benchmark compares; the first is the plain Wagtail baseline."""

from django.contrib.auth import get_user_model
from wagtail.models import Site

from content.models import StandardPage
from courses.models import Completion, CoursePage, Enrolment, LessonPage
from courses.progress import complete_lesson, enrol

CROWD = 10_000


def _plain_page() -> StandardPage:
    """A StandardPage with one paragraph: the plain Wagtail page to compare with."""
    existing = StandardPage.objects.filter(slug="bench-plain").first()
    if existing:
        return existing
    home = Site.objects.get(is_default_site=True).root_page
    page = StandardPage(
        title="Звичайна сторінка",
        slug="bench-plain",
        body=[("paragraph", "<p>Звичайна сторінка Wagtail для порівняння.</p>")],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _crowd(course: CoursePage, lessons: list[LessonPage], size: int) -> None:
    """``size`` learners enrolled in the course, each with some lessons done."""
    User = get_user_model()
    if User.objects.filter(email__startswith="bench-").exists():
        return
    users = User.objects.bulk_create(
        (User(email=f"bench-{n}@example.org", password="!") for n in range(size)),  # noqa: S106
        batch_size=2000,
    )
    Enrolment.objects.bulk_create(
        (Enrolment(learner=u, course=course) for u in users), batch_size=2000
    )
    Completion.objects.bulk_create(
        (
            Completion(learner=u, course=course, page_id=lesson.pk, kind="lesson")
            for n, u in enumerate(users)
            for lesson in lessons[: n % len(lessons)]
        ),
        batch_size=5000,
    )


def _bench_learner(course: CoursePage, lessons: list[LessonPage]):
    User = get_user_model()
    learner, _created = User.objects.get_or_create(
        email="bench-learner@example.org",
        defaults={"last_name": "Тест", "first_name": "Бенч"},
    )
    enrol(learner=learner, course=course)
    for lesson in lessons[:3]:
        complete_lesson(learner=learner, lesson=lesson)
    return learner


def prepare() -> dict:
    """Returns {name: (url, user or None)} in the order they are timed."""
    course = CoursePage.objects.live().order_by("path").first()
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    _crowd(course, lessons, CROWD)
    learner = _bench_learner(course, lessons)
    open_lesson = next((lesson for lesson in lessons if lesson.is_preview), lessons[0])
    return {
        "plain Wagtail page (anonymous)": (_plain_page().url, None),
        "plain Wagtail page (the same signed-in learner)": (_plain_page().url, learner),
        "lesson page (anonymous, open preview)": (open_lesson.url, None),
        f"lesson page (enrolled, {CROWD:,} learners)": (lessons[4].url, learner),
        f"course page (enrolled, {CROWD:,} learners)": (course.url, learner),
    }
