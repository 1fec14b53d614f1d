"""``manage.py seed_demo``: the demo site it builds, and that it builds it once."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import registry as log_registry
from wagtail.models import Page, Revision, Site

from content.demo.accounts import DEMO_ACCOUNTS
from content.models import HomePage, StandardPage
from content.participation.models import Application, EventPage, PilotPage
from courses.blocks import BodyStreamBlock
from courses.models import (
    QUESTION_TYPES,
    AnswerOption,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    MatchingPair,
    ModulePage,
    OrderingItem,
    Question,
    QuestionResult,
    QuizAttempt,
    QuizPage,
)
from lms.models import ConsentRecord, Hromada

pytestmark = pytest.mark.django_db

MODIFIER_APOSTROPHE = "\u02bc"


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One seed for the module, rolled back at its end; each test nests inside.

    Seeding takes seconds, and every test here reads the same demo site.
    """
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        seed(allow_production=True)
        yield
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = {
        "pages": Page,
        "revisions": Revision,
        "images": get_image_model(),
        "documents": get_document_model(),
        "users": get_user_model(),
        "groups": Group,
        "sites": Site,
        "hromadas": Hromada,
        "enrolments": Enrolment,
        "consents": ConsentRecord,
        "questions": Question,
        "options": AnswerOption,
        "pairs": MatchingPair,
        "ordering items": OrderingItem,
        "quiz attempts": QuizAttempt,
        "question results": QuestionResult,
        "applications": Application,
    }
    result = {name: model.objects.count() for name, model in models.items()}
    result["group permissions"] = Group.permissions.through.objects.count()
    return result


def lessons() -> list[LessonPage]:
    return list(LessonPage.objects.order_by("path"))


def test_running_the_command_twice_creates_nothing_the_second_time(seeded):
    before = counts()
    revision_ids = set(Revision.objects.values_list("pk", flat=True))

    output = seed(allow_production=True)

    assert counts() == before
    assert set(Revision.objects.values_list("pk", flat=True)) == revision_ids
    assert "нових сторінок 0" in output


def test_home_page_replaces_the_wagtail_welcome_page_as_the_site_root(seeded):
    site = Site.objects.get(is_default_site=True)
    home = HomePage.objects.get()

    assert site.root_page_id == home.pk
    assert site.root_url == settings.SITE_URL
    assert site.site_name == "Розумна взаємодія"
    assert (home.title, home.slug, home.depth) == ("Розумна взаємодія", "home", 2)
    assert Page.objects.filter(depth=2).count() == 1


def test_home_holds_about_privacy_and_the_course_catalogue(seeded):
    home = HomePage.objects.get()

    assert StandardPage.objects.child_of(home).filter(slug="about").exists()
    assert StandardPage.objects.child_of(home).filter(slug="privacy").exists()
    catalogue = CourseIndexPage.objects.child_of(home).get(slug="courses")
    course = CoursePage.objects.child_of(catalogue).get(slug="rozumna-vzaiemodiia")
    assert course.hours == 30
    assert course.provider_name
    assert 4 <= len(course.outcome_texts) <= 6


def test_course_has_four_modules_of_at_least_three_lessons_each(seeded):
    course = CoursePage.objects.get(slug="rozumna-vzaiemodiia")
    modules = ModulePage.objects.child_of(course)

    assert modules.count() >= 4
    for module in modules:
        assert module.intro and module.estimated_minutes > 0
        module_lessons = LessonPage.objects.child_of(module)
        assert module_lessons.count() >= 3, module.title
        for lesson in module_lessons:
            assert lesson.estimated_minutes > 0 and len(lesson.body) >= 3


def question_types(quiz: QuizPage) -> set[str]:
    return {question.type_code for question in quiz.questions.all()}


def test_each_module_ends_with_a_quiz_of_five_or_more_questions_of_mixed_types(
    seeded,
):
    course = CoursePage.objects.get(slug="rozumna-vzaiemodiia")

    for module in ModulePage.objects.child_of(course):
        last_step = module.get_children().order_by("-path").first().specific
        assert isinstance(last_step, QuizPage), module.title
        assert last_step.questions.count() >= 5, module.title
        assert len(question_types(last_step)) >= 4, module.title


def test_the_course_ends_with_a_final_test_drawing_8_of_10_questions_of_all_types(
    seeded,
):
    course = CoursePage.objects.get(slug="rozumna-vzaiemodiia")
    final = QuizPage.objects.child_of(course).get()

    assert course.get_children().order_by("-path").first().pk == final.pk
    assert final.questions.count() == 10
    assert question_types(final) == set(QUESTION_TYPES)
    assert (final.draw_count, final.shuffle_questions) == (8, True)
    assert final.time_limit_minutes
    outline = course.get_outline()
    assert outline.modules[-1].is_final_test
    assert outline.modules[-1].steps[0].page_id == final.pk


def test_quiz_settings_are_those_of_a_real_course(seeded):
    quizzes = list(QuizPage.objects.all())

    assert len(quizzes) == 5
    for quiz in quizzes:
        assert 60 <= quiz.pass_mark <= 80, quiz.title
        assert quiz.max_attempts == 3, quiz.title
        assert quiz.answers_shown in ("after_last", "after_pass"), quiz.title
        assert quiz.required, quiz.title
    module_quizzes = [quiz for quiz in quizzes if quiz.draw_count is None]
    assert any(quiz.time_limit_minutes for quiz in module_quizzes)


def test_demo_quizzes_shuffle_options_and_do_not_type_the_answer_first(seeded):
    # A quiz that kept the editor's order showed the right option first in
    # every question: a learner could pass without reading.
    assert QuizPage().shuffle_options  # the default for new quizzes
    positions = []
    for quiz in QuizPage.objects.all():
        assert quiz.shuffle_options, quiz.title
        for question in quiz.questions.filter(
            polymorphic_ctype__model="singlechoicequestion"
        ):
            flags = [o.is_correct for o in question.options.order_by("sort_order")]
            positions.append(flags.index(True))
    assert len(positions) >= 5
    assert len(set(positions)) > 1, positions


def test_every_demo_question_opens_in_its_admin_editor_for_the_editor(seeded):
    client = Client()
    editor = get_user_model().objects.get(email=DEMO_ACCOUNTS["editor"]["email"])
    client.force_login(editor, "django.contrib.auth.backends.ModelBackend")

    for question in Question.objects.all():
        viewset = type(question).snippet_viewset
        edit = reverse(viewset.get_url_name("edit"), args=[question.pk])
        response = client.get(edit)
        assert response.status_code == 200, question.text
        assert not response.context["form"].errors


def test_demo_learner_has_a_passed_attempt_with_one_mistake(seeded):
    learner = get_user_model().objects.get(email="learner@demo.rv.ua")

    attempt = QuizAttempt.objects.get(learner=learner)
    assert attempt.status == QuizAttempt.Status.SUBMITTED and attempt.passed
    results = QuestionResult.objects.filter(attempt=attempt)
    assert results.count() == len(attempt.questions)
    assert results.filter(correct=False).count() == 1


def test_lessons_use_every_block_type_of_the_body_stream(seeded):
    used = {block.block_type for lesson in lessons() for block in lesson.body}

    assert used == set(BodyStreamBlock.base_blocks)


def test_every_demo_page_is_published_through_a_logged_revision(seeded):
    pages = Page.objects.filter(depth__gte=2).specific()

    for page in pages:
        assert page.live and not page.has_unpublished_changes, page.title
        assert page.live_revision_id == page.latest_revision_id is not None
        actions = set(
            log_registry.get_logs_for_instance(page).values_list("action", flat=True)
        )
        assert {"wagtail.create", "wagtail.publish"} <= actions, page.title


def test_image_and_document_blocks_point_at_the_generated_files(seeded):
    images = [
        block.value
        for lesson in lessons()
        for block in lesson.body
        if block.block_type == "image"
    ]
    documents = [
        block.value["document"]
        for lesson in lessons()
        for block in lesson.body
        if block.block_type == "document"
    ]

    assert images[0]["image"].width == 640
    assert images[0]["alt_text"]
    assert documents[0].title == "Шаблон карти проблем громади"
    assert documents[0].file.read().decode("utf-8").startswith("ШАБЛОН КАРТИ")


def test_privacy_notice_states_the_version_people_consent_to(seeded):
    privacy = StandardPage.objects.get(slug="privacy")
    text = privacy.intro + "".join(str(block.value) for block in privacy.body)

    assert f"Версія {settings.PRIVACY_NOTICE_VERSION} від" in text
    assert "Про захист персональних даних" in text


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/about/",
        "/privacy/",
        "/courses/",
        "/courses/rozumna-vzaiemodiia/",
        "/courses/rozumna-vzaiemodiia/mizhsektorna-vzaiemodiia/",
        "/courses/rozumna-vzaiemodiia/mizhsektorna-vzaiemodiia/"
        "shcho-take-rozumna-vzaiemodiia/",
    ],
)
def test_demo_pages_open_for_an_anonymous_visitor(seeded, client, url):
    assert client.get(url).status_code == 200


def test_demo_learner_can_read_every_lesson(seeded):
    client = Client()
    client.force_login(get_user_model().objects.get(email="learner@demo.rv.ua"))

    for lesson in lessons():
        assert client.get(lesson.url).status_code == 200, lesson.url


def test_demo_learner_name_is_stored_with_the_modifier_letter_apostrophe(seeded):
    learner = get_user_model().objects.get(email="learner@demo.rv.ua")

    assert learner.first_name == f"Мар{MODIFIER_APOSTROPHE}яна"
    assert learner.patronymic and learner.position_title and learner.organisation
    assert learner.position_category.code == "В"
    assert learner.oblast.name == "Луганська область"
    assert learner.hromada.oblast == learner.oblast


def test_demo_learner_has_consent_and_an_enrolment_with_progress(seeded):
    learner = get_user_model().objects.get(email="learner@demo.rv.ua")

    consent = ConsentRecord.objects.get(user=learner)
    assert consent.notice_version == settings.PRIVACY_NOTICE_VERSION
    assert Enrolment.objects.filter(learner=learner).count() == 1


@pytest.mark.parametrize("role", ["editor", "moderator", "reviewer", "organiser"])
def test_staff_role_accounts_may_enter_the_wagtail_admin(seeded, role):
    user = get_user_model().objects.get(email=DEMO_ACCOUNTS[role]["email"])

    assert user.has_perm("wagtailadmin.access_admin")
    assert user.groups.filter(name__in=DEMO_ACCOUNTS[role]["groups"]).exists()
    assert user.check_password(DEMO_ACCOUNTS[role]["password"])


def test_learner_may_not_enter_the_admin_and_admin_is_a_superuser(seeded):
    users = get_user_model().objects
    learner = users.get(email=DEMO_ACCOUNTS["learner"]["email"])
    admin = users.get(email=DEMO_ACCOUNTS["admin"]["email"])

    assert not learner.has_perm("wagtailadmin.access_admin")
    assert admin.is_superuser and admin.is_staff


def test_an_existing_account_keeps_its_password_and_groups(seeded):
    editor = get_user_model().objects.get(email=DEMO_ACCOUNTS["editor"]["email"])
    editor.set_password("Chosen-by-owner-77")
    editor.save()
    editor.groups.clear()

    seed(allow_production=True)

    editor.refresh_from_db()
    assert editor.check_password("Chosen-by-owner-77")
    assert not editor.groups.exists()


def test_command_refuses_to_run_without_debug_unless_allowed(settings):
    settings.DEBUG = False
    before = counts()

    with pytest.raises(CommandError, match="--allow-production"):
        seed()

    assert counts() == before


def test_passwords_are_printed_in_debug_only(seeded, settings):
    settings.DEBUG = False
    quiet = seed(allow_production=True)
    settings.DEBUG = True
    loud = seed()

    for spec in DEMO_ACCOUNTS.values():
        assert spec["password"] not in quiet
        assert f"{spec['email']} / {spec['password']}" in loud


def test_the_pilot_spans_seven_oblasts_with_kreminna_among_its_hromadas(seeded):
    pilot = PilotPage.objects.live().get()

    assert pilot.oblasts.count() == 7
    assert "Кремінська міська територіальна громада" in [
        hromada.name for hromada in pilot.hromadas.all()
    ]
    assert pilot.accepts_applications()
    assert pilot.course.slug == CoursePage.objects.get().slug


def test_the_regional_conference_has_the_announced_programme_and_fifty_places(
    seeded,
):
    conference = EventPage.objects.live().get()
    agenda = [
        (item.value["time"].strftime("%H:%M"), item.value["title"])
        for item in conference.agenda
    ]

    assert conference.places == 50
    assert conference.accepts_applications()
    assert conference.applications_close_at < conference.starts_at
    assert agenda[0] == ("11:00", "Вітальне слово")
    assert agenda[-1] == ("16:00", "Завершення конференції")
    assert len(agenda) == 9
    assert "Кремінна" in agenda[2][1]


def test_demo_applications_are_in_every_state(seeded):
    conference = EventPage.objects.live().get()

    states = set(
        Application.objects.filter(page=conference).values_list("status", flat=True)
    )

    assert states == set(Application.Status.values)


@pytest.mark.parametrize("slug", ["pilots", "events"])
def test_pilot_and_event_lists_open_for_an_anonymous_visitor(seeded, client, slug):
    response = client.get(f"/{slug}/")

    assert response.status_code == 200
