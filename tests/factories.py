"""Plain factory functions for tests: people and the course page tree.

Every function saves what it makes and returns it; keyword arguments override
the defaults. Pages are added with ``add_child`` and published through a
revision, the way the Wagtail admin does it.
"""

import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from content.models import HomePage, StandardPage
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from lms.models import District, Hromada

DEFAULT_PASSWORD = "Sekret-for-tests-only-42"

_sequence = itertools.count(1)


def next_number() -> int:
    """A number unique within the test run, for e-mails, slugs and titles."""
    return next(_sequence)


# People ---------------------------------------------------------------------


def make_user(**fields):
    """A learner with a unique e-mail and a Ukrainian name; fields override."""
    number = next_number()
    password = fields.pop("password", DEFAULT_PASSWORD)
    values = {
        "email": f"learner{number}@example.org",
        "last_name": "Коваленко",
        "first_name": "Мар'яна",
        "patronymic": "Іванівна",
        **fields,
    }
    return get_user_model().objects.create_user(password=password, **values)


def make_superuser(**fields):
    """An administrator with every permission, able to use the Wagtail admin."""
    number = next_number()
    password = fields.pop("password", DEFAULT_PASSWORD)
    values = {
        "email": f"admin{number}@example.org",
        "last_name": "Адміністратор",
        "first_name": "Олена",
        **fields,
    }
    return get_user_model().objects.create_superuser(password=password, **values)


# Places ---------------------------------------------------------------------


def _place_code(number: int) -> str:
    """A code in the codifier's format that no real unit has (UA98…)."""
    return f"UA98{number:015d}"


def make_district(oblast, name: str | None = None, **fields):
    """A district (район) of ``oblast`` with a unique code."""
    number = next_number()
    values = {"code": _place_code(number), "name": name or f"Район {number}"}
    return District.objects.create(oblast=oblast, **{**values, **fields})


def make_hromada(oblast, name: str | None = None, *, district=None, **fields):
    """A current hromada of ``oblast`` (in ``district`` if given)."""
    number = next_number()
    values = {
        "code": _place_code(number),
        "name": name or f"Громада {number} сільська територіальна громада",
        "kind": "rural",
    }
    return Hromada.objects.create(
        oblast=oblast, district=district, **{**values, **fields}
    )


# Body content ---------------------------------------------------------------


def paragraph(text: str) -> tuple[str, RichText]:
    """One paragraph item for a ``BodyStreamBlock`` StreamField."""
    return ("paragraph", RichText(f"<p>{text}</p>"))


def html_block(html: str) -> tuple[str, str]:
    """One ``SanitizedHTMLBlock`` item for a ``BodyStreamBlock`` StreamField."""
    return ("html", html)


# Pages ----------------------------------------------------------------------


def publish(page: Page) -> Page:
    """Publishes the page through a revision and returns it fresh from the database."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_page(parent: Page, page: Page) -> Page:
    """Adds the unsaved ``page`` under ``parent`` and publishes it."""
    if not page.slug:
        page.slug = f"{page._meta.model_name}-{next_number()}"
    parent.add_child(instance=page)
    return publish(page)


def tree_root() -> Page:
    """Wagtail's tree root, remade if a transactional test flushed the database."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def make_home_page(**fields) -> HomePage:
    """The site's HomePage at depth 2 as the default Site root; made once per test."""
    existing = HomePage.objects.first()
    if existing is not None:
        return existing
    # Wagtail's migrations leave a plain "Welcome" page at depth 2 with the
    # slug "home"; it is replaced, and the Site that pointed at it with it.
    page_type = ContentType.objects.get_for_model(Page)
    Page.objects.filter(depth=2, content_type=page_type).delete()
    home = HomePage(
        title=fields.pop("title", "Розумна взаємодія"),
        slug=fields.pop("slug", "home"),
        lead=fields.pop("lead", "Навчання для публічних службовців громад."),
        **fields,
    )
    tree_root().add_child(instance=home)
    home = publish(home)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        root_page=home,
        is_default_site=True,
        site_name="Розумна взаємодія",
    )
    return home


def make_standard_page(parent: Page | None = None, **fields) -> StandardPage:
    """A published StandardPage under ``parent`` (the home page by default)."""
    number = next_number()
    values = {
        "title": f"Про проєкт {number}",
        "slug": f"about-{number}",
        "intro": "<p>Для кого цей курс і хто його підготував.</p>",
        "body": [paragraph(f"Текст сторінки номер {number}.")],
        **fields,
    }
    return add_page(parent or make_home_page(), StandardPage(**values))


def make_course_index(parent: Page | None = None, **fields) -> CourseIndexPage:
    """The course catalogue under the home page; reused if one already exists."""
    parent = parent or make_home_page()
    if not fields:
        existing = CourseIndexPage.objects.child_of(parent).first()
        if existing is not None:
            return existing
    values = {
        "title": "Курси",
        "slug": f"courses-{next_number()}",
        "intro": "<p>Курси підвищення кваліфікації.</p>",
        **fields,
    }
    return add_page(parent, CourseIndexPage(**values))


def make_course(parent: Page | None = None, **fields) -> CoursePage:
    """A published CoursePage of 30 hours under the catalogue."""
    number = next_number()
    values = {
        "title": f"Міжсекторальна взаємодія {number}",
        "slug": f"course-{number}",
        "summary": f"Як громаді домовлятися з бізнесом і громадськістю ({number}).",
        "hours": 30,
        "programme_code": f"РВ-{number:03d}",
        "provider_name": "Національне агентство з питань державної служби",
        "learning_outcomes": [
            ("outcome", "Планує спільні проєкти з партнерами громади."),
        ],
        "description": [paragraph("Опис курсу.")],
        **fields,
    }
    return add_page(parent or make_course_index(), CoursePage(**values))


def make_module(course: CoursePage, **fields) -> ModulePage:
    """A published ModulePage of 90 minutes under ``course``."""
    number = next_number()
    values = {
        "title": f"Модуль {number}",
        "slug": f"module-{number}",
        "intro": f"<p>Вступ до модуля {number}.</p>",
        "estimated_minutes": 90,
        **fields,
    }
    return add_page(course, ModulePage(**values))


def make_lesson(module: ModulePage, **fields) -> LessonPage:
    """A published LessonPage of 20 minutes with one paragraph under ``module``."""
    number = next_number()
    values = {
        "title": f"Урок {number}",
        "slug": f"lesson-{number}",
        "estimated_minutes": 20,
        "body": [paragraph(f"Зміст уроку {number}.")],
        **fields,
    }
    return add_page(module, LessonPage(**values))


@dataclass
class CourseTree:
    """The pages ``build_course`` made, from the home page down to the lessons."""

    home: HomePage
    index: CourseIndexPage
    course: CoursePage
    modules: list[ModulePage] = field(default_factory=list)
    lessons: list[LessonPage] = field(default_factory=list)

    def lessons_of(self, module: ModulePage) -> list[LessonPage]:
        """The lessons of one module, in tree order."""
        return [
            lesson for lesson in self.lessons if lesson.path.startswith(module.path)
        ]


def build_course(
    modules: int = 4,
    lessons_per_module: int = 3,
    *,
    lesson_fields: dict | None = None,
    **course_fields,
) -> CourseTree:
    """HomePage → CourseIndexPage → CoursePage → modules → lessons, all published.

    ``lesson_fields`` go to every lesson (e.g. ``{"is_preview": True}`` so that
    anonymous visitors may open them); other keywords go to the course.
    """
    home = make_home_page()
    index = make_course_index(home)
    tree = CourseTree(
        home=home, index=index, course=make_course(index, **course_fields)
    )
    for _ in range(modules):
        module = make_module(tree.course)
        tree.modules.append(module)
        tree.lessons.extend(
            make_lesson(module, **(lesson_fields or {}))
            for _ in range(lessons_per_module)
        )
    return tree
