"""Page tree rules, admin creation, rendering and preview of every page type.

QuizPage takes part in the tree rules here; its creation, rendering and
preview are tested with the quiz itself.
"""

import json
from unittest import mock

from django.db import connection
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from content.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    PilotIndexPage,
    PilotPage,
    StandardPage,
)
from courses.blocks import RICH_TEXT_FEATURES
from courses.models import (
    CourseIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
)
from tests import factories

# The first configured backend (django-axes) cannot load a user from the
# session, so Wagtail's helpers log in through Django's own backend instead.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

ALLOWED_SUBPAGES = {
    Page: {HomePage},
    HomePage: {StandardPage, CourseIndexPage, PilotIndexPage, EventIndexPage},
    StandardPage: {StandardPage},
    PilotIndexPage: {PilotPage},
    EventIndexPage: {EventPage},
    PilotPage: set(),
    EventPage: set(),
    CourseIndexPage: {CoursePage},
    CoursePage: {ModulePage, QuizPage},
    ModulePage: {LessonPage, QuizPage},
    LessonPage: set(),
    QuizPage: set(),
}
ALLOWED_PARENTS = {
    HomePage: {Page},
    StandardPage: {HomePage, StandardPage},
    CourseIndexPage: {HomePage},
    PilotIndexPage: {HomePage},
    EventIndexPage: {HomePage},
    PilotPage: {PilotIndexPage},
    EventPage: {EventIndexPage},
    CoursePage: {CourseIndexPage},
    ModulePage: {CoursePage},
    LessonPage: {ModulePage},
    QuizPage: {ModulePage, CoursePage},
}
UNSAFE_HTML = '<p onclick="alert(1)">Таблиця</p><script>alert(2)</script>'


def paragraph_form(html: str) -> tuple[str, str]:
    """A paragraph item of a BodyStreamBlock, as the admin form submits it."""
    return ("paragraph", rich_text(html, features=RICH_TEXT_FEATURES))


def home_form() -> dict:
    """Admin form data for a HomePage."""
    return nested_form_data(
        {
            "title": "Розумна взаємодія",
            "slug": "holovna",
            "lead": "Навчання для службовців громад.",
            "body": streamfield([paragraph_form("<p>Ласкаво просимо.</p>")]),
        }
    )


def standard_form(slug="pro-proekt") -> dict:
    """Admin form data for a StandardPage."""
    return nested_form_data(
        {
            "title": "Про проєкт",
            "slug": slug,
            "intro": rich_text("<p>Хто ми.</p>", features=RICH_TEXT_FEATURES),
            "body": streamfield(
                [
                    ("heading", {"text": "Партнери", "level": "h2"}),
                    paragraph_form("<p>Текст <b>сторінки</b>.</p>"),
                ]
            ),
        }
    )


def course_index_form(slug="kursy") -> dict:
    """Admin form data for a CourseIndexPage."""
    return nested_form_data(
        {
            "title": "Каталог курсів",
            "slug": slug,
            "intro": rich_text("<p>Усі курси.</p>", features=RICH_TEXT_FEATURES),
        }
    )


def course_form(slug="publichni-zakupivli") -> dict:
    """Admin form data for a CoursePage."""
    return nested_form_data(
        {
            "title": "Публічні закупівлі",
            "slug": slug,
            "summary": "Закупівлі для громад.",
            "hours": "45",
            "programme_code": "РВ-002",
            "provider_name": "НАДС",
            "target_audience": "Службовці органів місцевого самоврядування",
            "learning_outcomes": streamfield([("outcome", "Готує тендер.")]),
            "description": streamfield([paragraph_form("<p>Опис.</p>")]),
        }
    )


def module_form(slug="modul-1") -> dict:
    """Admin form data for a ModulePage."""
    return nested_form_data(
        {
            "title": "Модуль 1",
            "slug": slug,
            "intro": rich_text("<p>Вступ.</p>", features=RICH_TEXT_FEATURES),
            "estimated_minutes": "90",
        }
    )


def lesson_form(slug="urok-1") -> dict:
    """Admin form data for a LessonPage, with an unsafe HTML block in its body."""
    return nested_form_data(
        {
            "title": "Урок 1",
            "slug": slug,
            "estimated_minutes": "20",
            "body": streamfield(
                [
                    ("heading", {"text": "Що таке громада", "level": "h2"}),
                    paragraph_form("<p>Громада — це люди.</p>"),
                    ("quote", {"text": "Разом ми сила.", "attribution": ""}),
                    ("html", UNSAFE_HTML),
                ]
            ),
        }
    )


class PageTestCase(WagtailPageTestCase):
    """WagtailPageTestCase logged in as an administrator, with a published course."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = factories.build_course(
            modules=1, lessons_per_module=1, lesson_fields={"is_preview": True}
        )
        cls.standard = factories.make_standard_page(cls.tree.home)
        cls.superuser = factories.make_superuser()

    def setUp(self):
        super().setUp()
        patcher = mock.patch(
            "wagtail.test.utils.page_tests.AUTH_BACKEND", MODEL_BACKEND
        )
        patcher.start()
        self.addCleanup(patcher.stop)
        self.client.force_login(self.superuser, MODEL_BACKEND)

    def pages(self) -> dict:
        """One published page of each type, keyed by its class."""
        return {
            HomePage: self.tree.home,
            StandardPage: self.standard,
            CourseIndexPage: self.tree.index,
            CoursePage: self.tree.course,
            ModulePage: self.tree.modules[0],
            LessonPage: self.tree.lessons[0],
        }


class PageTypeRulesTests(PageTestCase):
    def test_each_page_type_allows_exactly_its_subpage_types(self):
        for parent, children in ALLOWED_SUBPAGES.items():
            if parent is Page:
                continue
            with self.subTest(parent=parent.__name__):
                self.assertAllowedSubpageTypes(parent, children)

    def test_only_the_home_page_of_this_site_goes_under_the_tree_root(self):
        # The root also lists Wagtail's own (not creatable) Page type.
        ours = set(ALLOWED_PARENTS)
        self.assertEqual(set(Page.allowed_subpage_models()) & ours, {HomePage})

    def test_each_page_type_allows_exactly_its_parent_types(self):
        for child, parents in ALLOWED_PARENTS.items():
            with self.subTest(child=child.__name__):
                self.assertAllowedParentPageTypes(child, parents)

    def test_every_parent_and_child_pair_is_allowed_or_refused(self):
        for parent, children in ALLOWED_SUBPAGES.items():
            for child in ALLOWED_PARENTS:
                with self.subTest(parent=parent.__name__, child=child.__name__):
                    if child in children:
                        self.assertCanCreateAt(parent, child)
                    else:
                        self.assertCanNotCreateAt(parent, child)

    def test_a_second_home_page_cannot_be_created(self):
        root = Page.get_first_root_node()
        self.assertFalse(HomePage.can_create_at(root))
        self.assertTrue(StandardPage.can_create_at(self.tree.home))


class AdminCreationTests(PageTestCase):
    def test_standard_page_can_be_created_in_the_admin(self):
        self.assertCanCreate(self.tree.home, StandardPage, standard_form())
        self.assertTrue(StandardPage.objects.filter(slug="pro-proekt").exists())

    def test_standard_page_can_be_created_under_a_standard_page(self):
        self.assertCanCreate(self.standard, StandardPage, standard_form("vkladena"))

    def test_course_index_can_be_created_in_the_admin(self):
        self.assertCanCreate(self.tree.home, CourseIndexPage, course_index_form())

    def test_course_can_be_created_in_the_admin(self):
        self.assertCanCreate(self.tree.index, CoursePage, course_form())
        course = CoursePage.objects.get(slug="publichni-zakupivli")
        self.assertEqual(course.hours, 45)
        self.assertEqual(course.outcome_texts, ["Готує тендер."])
        self.assertTrue(course.live)

    def test_module_can_be_created_in_the_admin(self):
        self.assertCanCreate(self.tree.course, ModulePage, module_form())

    def test_lesson_can_be_created_in_the_admin_with_its_html_cleaned(self):
        self.assertCanCreate(self.tree.modules[0], LessonPage, lesson_form())
        lesson = LessonPage.objects.get(slug="urok-1")
        self.assertEqual(
            [block.block_type for block in lesson.body],
            ["heading", "paragraph", "quote", "html"],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT body FROM {LessonPage._meta.db_table} "  # noqa: S608
                "WHERE page_ptr_id = %s",
                [lesson.pk],
            )
            stored = json.loads(cursor.fetchone()[0])
        self.assertEqual(stored[3]["value"], "<p>Таблиця</p>alert(2)")

    def test_admin_refuses_a_course_directly_under_the_home_page(self):
        home = self.tree.home
        url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", home.pk])
        data = {**course_form("zaiva"), "action-publish": "action-publish"}
        response = self.client.post(url, data)
        # Wagtail turns the PermissionDenied into a redirect with a message.
        self.assertRedirects(response, reverse("wagtailadmin_home"))
        self.assertFalse(CoursePage.objects.filter(slug="zaiva").exists())


class HomePageCreationTests(WagtailPageTestCase):
    """The home page is made in the admin on a fresh site, under the tree root."""

    def setUp(self):
        super().setUp()
        self.client.force_login(factories.make_superuser(), MODEL_BACKEND)

    def test_home_page_can_be_created_under_the_root(self):
        root = Page.get_first_root_node()
        self.assertCanCreate(root, HomePage, home_form())
        self.assertEqual(HomePage.objects.get().lead, "Навчання для службовців громад.")


class RenderingTests(PageTestCase):
    def test_every_page_type_renders_for_a_visitor(self):
        self.client.logout()
        for page_type, page in self.pages().items():
            with self.subTest(page_type=page_type.__name__):
                self.assertPageIsRenderable(page)

    def test_a_lesson_that_is_not_open_renders_for_an_administrator(self):
        closed = factories.make_lesson(self.tree.modules[0], is_preview=False)
        self.assertPageIsRenderable(closed, user=self.superuser)

    def test_every_page_type_can_be_previewed_in_the_admin(self):
        forms = {
            HomePage: home_form(),
            StandardPage: standard_form(),
            CourseIndexPage: course_index_form(),
            CoursePage: course_form(),
            ModulePage: module_form(),
            LessonPage: lesson_form(),
        }
        for page_type, page in self.pages().items():
            with self.subTest(page_type=page_type.__name__):
                data = forms[page_type]
                data["slug"] = page.slug
                self.assertPageIsPreviewable(page, post_data=data, user=self.superuser)
