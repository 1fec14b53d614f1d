"""What the end-to-end journeys find on the site: a small course, places,
staff accounts and a certificate design, made with the suite's factories.

The course is one module of two lessons and a required test of three
questions, so a learner completes it in a handful of pages. Every label the
journeys look for is a constant here, so pages and tests agree on it.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.utils import timezone

from courses.models import CoursePage, LessonPage, QuizPage
from lms.models import Oblast
from lms.roles import EDITORS, MODERATORS, REVIEWERS
from tests import factories, quiz_factories
from tests.certificates import factories as certificate_factories

STAFF_PASSWORD = factories.DEFAULT_PASSWORD

COURSE_TITLE = "Розумна взаємодія громади і бізнесу"
LESSON_TITLES = ("Хто такі партнери громади", "Як домовлятися про спільний проєкт")
LESSON_TEXTS = (
    "Партнерами громади бувають місцевий бізнес, громадські організації та "
    "сусідні громади.",
    "Спільний проєкт починається з відкритої зустрічі, на якій сторони "
    "домовляються про мету.",
)
QUIZ_TITLE = "Перевірка знань: партнерство"
OBLAST_NAME = "Луганська область"
HROMADA_NAME = "Кремінська міська територіальна громада"
SAME_OBLAST_HROMADA = "Рубіжанська міська територіальна громада"
OTHER_OBLAST_NAME = "Київська область"
OTHER_HROMADA_NAME = "Бучанська міська територіальна громада"


@dataclass(frozen=True)
class Question:
    """A question as the learner reads it: its text, the right answer's label
    and a wrong answer's label."""

    text: str
    right: str
    wrong: str


QUESTIONS = (
    Question(
        text="Хто може бути партнером громади у спільному проєкті?",
        right="Місцевий бізнес і громадські організації",
        wrong="Лише органи державної влади",
    ),
    Question(
        text="Спільний проєкт починається з відкритої зустрічі сторін.",
        right="Правда",
        wrong="Неправда",
    ),
    Question(
        text="Що сторони погоджують насамперед?",
        right="Мету проєкту",
        wrong="Колір логотипу",
    ),
)


@dataclass
class Staff:
    email: str
    name: str


@dataclass
class World:
    course: CoursePage
    lessons: list[LessonPage]
    quiz: QuizPage
    editor: Staff
    moderator: Staff
    reviewer: Staff
    oblast: Oblast
    site_url: str = ""


def _staff(group_name: str, *, last_name: str, first_name: str) -> Staff:
    user = factories.make_user(
        last_name=last_name,
        first_name=first_name,
        patronymic="",
        email_confirmed_at=timezone.now(),
    )
    user.groups.add(Group.objects.get(name=group_name))
    return Staff(email=user.email, name=f"{first_name} {last_name}")


def build_world(site_url: str) -> World:
    """The site as the journeys expect it; about a second of database work."""
    # Reference data from the migrations, which serialized rollback restores.
    oblast = Oblast.objects.get(name=OBLAST_NAME)
    other_oblast = Oblast.objects.get(name=OTHER_OBLAST_NAME)
    district = factories.make_district(oblast, name="Сєвєродонецький район")
    factories.make_hromada(oblast, HROMADA_NAME, district=district, kind="urban")
    factories.make_hromada(oblast, SAME_OBLAST_HROMADA, kind="urban")
    factories.make_hromada(other_oblast, OTHER_HROMADA_NAME, kind="urban")

    home = factories.make_home_page()
    # The header links to /courses/: the catalogue must live there.
    factories.make_course_index(home, title="Курси", slug="courses")
    factories.make_standard_page(
        home, title="Повідомлення про приватність", slug="privacy"
    )
    tree = factories.build_course(
        modules=1,
        lessons_per_module=0,
        title=COURSE_TITLE,
        slug="rozumna-vzaiemodiia",
        summary="Як громаді домовлятися з бізнесом і громадськістю.",
    )
    module = tree.modules[0]
    lessons = [
        factories.make_lesson(
            module,
            title=title,
            body=[
                ("heading", {"text": "Головне", "level": "h2"}),
                factories.paragraph(text),
            ],
        )
        for title, text in zip(LESSON_TITLES, LESSON_TEXTS, strict=True)
    ]
    quiz = quiz_factories.make_quiz(
        module,
        title=QUIZ_TITLE,
        pass_mark=60,
        max_attempts=0,
        shuffle_options=True,
        answers_shown=QuizPage.AnswersShown.AFTER_PASS,
    )
    first, second, third = QUESTIONS
    quiz_factories.add_single(
        quiz, text=first.text, options=[(first.right, True), (first.wrong, False)]
    )
    quiz_factories.add_truefalse(quiz, text=second.text, correct=True)
    quiz_factories.add_single(
        quiz, text=third.text, options=[(third.right, True), (third.wrong, False)]
    )
    certificate_factories.make_design()

    return World(
        course=tree.course,
        lessons=lessons,
        quiz=quiz,
        editor=_staff(EDITORS, last_name="Редакторенко", first_name="Ірина"),
        moderator=_staff(MODERATORS, last_name="Модераторенко", first_name="Петро"),
        reviewer=_staff(REVIEWERS, last_name="Рецензентенко", first_name="Оксана"),
        oblast=oblast,
        site_url=site_url,
    )
