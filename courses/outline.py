"""The course outline: modules and their steps, read in one query."""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import OuterRef, Q, Subquery
from wagtail.models import Page

from lms import cache_versions


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
    """Outlines of several courses, keyed by course id, with one query at most.

    The rows are cached (in the shared cache in production) and dropped when
    any page is published, unpublished, moved or deleted (``forget_outlines``).
    """
    if not courses:
        return {}
    rows = _cached_rows(courses)
    by_course: dict[int, list[tuple]] = {course.pk: [] for course in courses}
    for row in rows:
        for course in courses:
            if row[3].startswith(course.path):
                by_course[course.pk].append(row)
                break
    return {
        course.pk: _assemble(course, by_course[course.pk], request)
        for course in courses
    }


CACHE_VERSION_KEY = "courses:outline-version"
CACHE_SECONDS = 60 * 60


def _cached_rows(courses: list[Page]) -> list[tuple]:
    """Outline rows per course, from the cache while no page changed since.

    One round trip reads the version and every course's entry (each tagged
    with the version it was read at); courses missing from the cache, or
    cached at an older version, are read together in one query.
    """
    kept = [course.__dict__.get("_outline_rows") for course in courses]
    if all(rows is not None for rows in kept):  # kept with a page in the cache
        return [row for rows in kept for row in rows]
    keys = {course.pk: f"courses:outline:{course.pk}" for course in courses}
    found = cache.get_many([CACHE_VERSION_KEY, *keys.values()])
    version = found.get(CACHE_VERSION_KEY)
    if version is None:
        version = outline_version()
    rows_of = {}
    for course in courses:
        entry = found.get(keys[course.pk])
        if entry is not None and entry[0] == version:
            rows_of[course.pk] = entry[1]
    missing = [course for course in courses if course.pk not in rows_of]
    if missing:
        query = Q()
        for course in missing:
            query |= Q(path__startswith=course.path, depth__gt=course.depth) & Q(
                depth__lte=course.depth + 2
            )
        QuizPage = apps.get_model("courses", "QuizPage")
        required = QuizPage.objects.filter(pk=OuterRef("pk")).values("required")
        rows = list(
            Page.objects.filter(query)
            .live()
            .order_by("path")
            .annotate(quiz_required=Subquery(required))
            .values_list(*_FIELDS, "quiz_required")
        )
        fresh = {
            course.pk: [row for row in rows if row[3].startswith(course.path)]
            for course in missing
        }
        cache.set_many(
            {keys[pk]: (version, course_rows) for pk, course_rows in fresh.items()},
            CACHE_SECONDS,
        )
        rows_of.update(fresh)
    return [row for course in courses for row in rows_of[course.pk]]


def keep_outline_rows(course: Page) -> None:
    """Reads the course's outline rows into the course, to be cached with a
    page of the course (``lms.page_cache``, whose version changes with any
    page)."""
    course._outline_rows = _cached_rows([course])


def outline_version() -> int:
    """Changes whenever any page is published, unpublished, moved or deleted."""
    return cache_versions.read(CACHE_VERSION_KEY)


def forget_outlines(**kwargs) -> None:
    """Any publish, unpublish, move or delete makes every cached outline stale."""
    cache_versions.bump_now_and_after_commit(CACHE_VERSION_KEY)


def _assemble(course: Page, rows: list[tuple], request) -> CourseOutline:
    # Descendants share the course's site, so their URLs extend the course's
    # own: one URL computation instead of one per page.
    course_url = course.get_url(request) or ""
    prefix_length = len(course.url_path)
    modules: list[OutlineModule] = []
    module_depth = course.depth + 1
    module_path = None
    for page_id, title, depth, path, url_path, type_id, quiz_required in rows:
        kind = ContentType.objects.get_for_id(type_id).model
        url = course_url + url_path[prefix_length:]
        required = quiz_required is not False
        if depth == module_depth and kind == "quizpage":
            module_path = None
            step = OutlineStep(page_id, title, url, kind, required)
            modules.append(
                OutlineModule(page_id, title, url, [step], is_final_test=True)
            )
        elif depth == module_depth:
            module_path = path
            modules.append(OutlineModule(page_id, title, url))
        elif module_path and path.startswith(module_path):
            # A step under a module that is not live is left out with it.
            modules[-1].steps.append(OutlineStep(page_id, title, url, kind, required))
    return CourseOutline(modules)
