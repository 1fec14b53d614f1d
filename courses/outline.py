"""The course outline: modules and their steps, read in one query."""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from wagtail.models import Page


@dataclass
class OutlineStep:
    page_id: int
    title: str
    url: str
    kind: str  # the page model's name in lower case, e.g. "lessonpage"
    required: bool = True


@dataclass
class OutlineModule:
    page_id: int
    title: str
    url: str
    steps: list[OutlineStep] = field(default_factory=list)
    # A quiz placed directly under the course (the final test) stands in the
    # outline as a module of one step: itself.
    is_final_test: bool = False


@dataclass
class CourseOutline:
    modules: list[OutlineModule]

    @property
    def steps(self) -> list[OutlineStep]:
        return [step for module in self.modules for step in module.steps]

    def module_of(self, page_id: int) -> OutlineModule | None:
        for module in self.modules:
            if any(step.page_id == page_id for step in module.steps):
                return module
        return None

    def neighbours(self, page_id: int) -> tuple[OutlineStep | None, OutlineStep | None]:
        """The steps before and after a step, across module boundaries."""
        steps = self.steps
        for position, step in enumerate(steps):
            if step.page_id == page_id:
                previous = steps[position - 1] if position > 0 else None
                following = steps[position + 1] if position + 1 < len(steps) else None
                return previous, following
        return None, None


_FIELDS = ("id", "title", "depth", "path", "url_path", "content_type_id")


def build_outline(course: Page, request=None) -> CourseOutline:
    """Live modules and steps of a course, in tree order, with one query."""
    return build_outlines([course], request)[course.pk]


def build_outlines(courses: list[Page], request=None) -> dict[int, CourseOutline]:
    """Outlines of several courses, keyed by course id, with one query."""
    if not courses:
        return {}
    query = Q()
    for course in courses:
        query |= Q(path__startswith=course.path, depth__gt=course.depth) & Q(
            depth__lte=course.depth + 2
        )
    QuizPage = apps.get_model("courses", "QuizPage")
    quiz_required = QuizPage.objects.filter(pk=OuterRef("pk")).values("required")
    pages = (
        Page.objects.filter(query)
        .live()
        .order_by("path")
        .only(*_FIELDS)
        .annotate(quiz_required=Subquery(quiz_required))
    )
    by_course = {course.pk: [] for course in courses}
    for page in pages:
        for course in courses:
            if page.path.startswith(course.path):
                by_course[course.pk].append(page)
                break
    return {
        course.pk: _assemble(course, by_course[course.pk], request)
        for course in courses
    }


def _assemble(course: Page, pages: list[Page], request) -> CourseOutline:
    modules: list[OutlineModule] = []
    module_depth = course.depth + 1
    module_path = None
    for page in pages:
        kind = ContentType.objects.get_for_id(page.content_type_id).model
        url = page.get_url(request)
        required = page.quiz_required is not False
        if page.depth == module_depth and kind == "quizpage":
            module_path = None
            step = OutlineStep(page.pk, page.title, url, kind, required)
            modules.append(
                OutlineModule(page.pk, page.title, url, [step], is_final_test=True)
            )
        elif page.depth == module_depth:
            module_path = page.path
            modules.append(OutlineModule(page.pk, page.title, url))
        elif module_path and page.path.startswith(module_path):
            # A step under a module that is not live is left out with it.
            modules[-1].steps.append(
                OutlineStep(page.pk, page.title, url, kind, required)
            )
    return CourseOutline(modules)
