"""Building quizzes in the Wagtail admin as a member of the Editors group."""

import re
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from courses.blocks import RICH_TEXT_FEATURES
from courses.models import (
    QUESTION_TYPES,
    AnswerOption,
    CoursePage,
    LessonPage,
    MatchingQuestion,
    ModulePage,
    MultipleChoiceQuestion,
    NumericQuestion,
    OrderingQuestion,
    Question,
    QuizPage,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
)
from lms.roles import EDITORS, MODERATORS, REVIEWERS
from tests import factories

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
CYRILLIC = re.compile("[а-яіїєґ]", re.IGNORECASE)


# Helpers --------------------------------------------------------------------


def make_staff(group: str):
    user = factories.make_user()
    user.groups.add(Group.objects.get(name=group))
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, MODEL_BACKEND)
    return client


def make_quiz(parent, **fields) -> QuizPage:
    return factories.add_page(parent, QuizPage(title="Перевірка знань", **fields))


def url(model, action: str, *args) -> str:
    return reverse(model.snippet_viewset.get_url_name(action), args=args)


def ukrainian(msgid: str) -> str:
    """The catalogue's wording of a message, checked to be translated."""
    message = gettext(msgid)
    assert CYRILLIC.search(message), f"no Ukrainian for {msgid!r}"
    return message


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def single_choice(quiz, text="Хто скликає громадські слухання?", sort_order=0):
    question = SingleChoiceQuestion.objects.create(
        quiz=quiz, text=text, sort_order=sort_order
    )
    AnswerOption.objects.create(question=question, text="Голова", is_correct=True)
    AnswerOption.objects.create(question=question, text="Староста")
    return question


def question_form(quiz, **fields) -> dict:
    values = {
        "quiz": str(quiz.pk),
        "sort_order": "0",
        "text": "Питання для перевірки",
        "points": "2",
        "explanation": "Пояснення до відповіді.",
        **fields,
    }
    return nested_form_data(values)


def options(*rows) -> dict:
    """(text, correct, feedback) rows as the options formset of a question form."""
    return inline_formset(
        [
            {"text": text, "is_correct": "on" if correct else "", "feedback": feedback}
            for text, correct, feedback in rows
        ]
    )


VALID_FORMS = {
    "single": lambda: {
        "options": options(
            ("Сільський голова", True, "Так, за статутом громади."),
            ("Староста", False, "Староста лише ініціює."),
        )
    },
    "multiple": lambda: {
        "scoring": "partial",
        "options": options(
            ("Громадські слухання", True, ""),
            ("Місцева ініціатива", True, ""),
            ("Указ Президента", False, "Це не інструмент участі."),
        ),
    },
    "truefalse": lambda: {
        "correct_answer": "on",
        "feedback_true": "Саме так.",
        "feedback_false": "Перечитайте урок 2.",
    },
    "text": lambda: {"accepted_answers": "громада\nтериторіальна громада"},
    "numeric": lambda: {"correct_value": "30", "tolerance": "0.5"},
    "matching": lambda: {
        "pairs": inline_formset(
            [
                {"left": "Петиція", "right": "Звернення з підписами"},
                {"left": "Слухання", "right": "Зустріч з мешканцями"},
            ]
        )
    },
    "ordering": lambda: {
        "items": inline_formset(
            [{"text": "Карта проблем"}, {"text": "Проєкт рішення"}, {"text": "Звіт"}]
        )
    },
}


@pytest.fixture
def quiz(db):
    tree = factories.build_course(modules=1, lessons_per_module=1)
    return make_quiz(tree.modules[0])


@pytest.fixture
def editor(db):
    return make_staff(EDITORS)


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


# Permissions ------------------------------------------------------------------


@pytest.mark.parametrize("group", [EDITORS, MODERATORS])
@pytest.mark.django_db
def test_editors_and_moderators_may_manage_every_question_type(group):
    user = make_staff(group)

    for model in [Question, *QUESTION_TYPES.values()]:
        for action in ("add", "change", "delete"):
            codename = f"courses.{action}_{model._meta.model_name}"
            assert user.has_perm(codename), codename
    assert user.has_perm("courses.view_questionresult")
    # Moderators approve (publish) questions; editors submit them.
    for model in QUESTION_TYPES.values():
        name = model._meta.model_name
        assert user.has_perm(f"courses.lock_{name}")
        assert user.has_perm(f"courses.publish_{name}") is (group == MODERATORS)
        assert user.has_perm(f"courses.unlock_{name}") is (group == MODERATORS)


def test_a_learner_or_a_reviewer_cannot_open_the_question_editor(quiz):
    for user in (factories.make_user(), make_staff(REVIEWERS)):
        response = client_for(user).get(url(SingleChoiceQuestion, "add"))
        assert response.status_code in (302, 403)
        assert not response.context or "form" not in response.context


# Creating every type ----------------------------------------------------------


@pytest.mark.parametrize("type_code", list(QUESTION_TYPES))
def test_an_editor_creates_each_question_type_through_the_admin(
    editor_client, quiz, type_code
):
    model = QUESTION_TYPES[type_code]
    data = question_form(quiz, **VALID_FORMS[type_code]())

    response = editor_client.post(url(model, "add"), data)

    assert response.status_code == 302, (
        response.context and response.context["form"].errors
    )
    question = Question.objects.get(quiz=quiz)
    # Saved as a draft, the editor stays in it; learners get nothing yet.
    assert response["Location"] == url(model, "edit", question.pk)
    assert not question.live
    assert quiz.draw_questions() == []
    assert type(question) is model
    assert (question.text, question.points) == ("Питання для перевірки", 2)
    assert question.explanation == "Пояснення до відповіді."
    snapshot = question.snapshot()
    assert snapshot["type"] == type_code
    TYPE_CHECKS[type_code](question, snapshot)


def _check_single(question, snapshot):
    assert [(o["text"], o["correct"], o["feedback"]) for o in snapshot["options"]] == [
        ("Сільський голова", True, "Так, за статутом громади."),
        ("Староста", False, "Староста лише ініціює."),
    ]


def _check_multiple(question, snapshot):
    assert question.scoring == MultipleChoiceQuestion.Scoring.PARTIAL
    assert [o["correct"] for o in snapshot["options"]] == [True, True, False]


def _check_true_false(question, snapshot):
    assert snapshot["correct"] is True
    assert snapshot["feedback"] == {"true": "Саме так.", "false": "Перечитайте урок 2."}


def _check_text(question, snapshot):
    assert snapshot["accepted"] == ["громада", "територіальна громада"]


def _check_numeric(question, snapshot):
    assert (snapshot["value"], snapshot["tolerance"]) == ("30.000000", "0.500000")


def _check_matching(question, snapshot):
    assert [item["text"] for item in snapshot["left"]] == ["Петиція", "Слухання"]


def _check_ordering(question, snapshot):
    texts = {item["id"]: item["text"] for item in snapshot["items"]}
    assert [texts[i] for i in snapshot["order"]] == [
        "Карта проблем",
        "Проєкт рішення",
        "Звіт",
    ]


TYPE_CHECKS = {
    "single": _check_single,
    "multiple": _check_multiple,
    "truefalse": _check_true_false,
    "text": _check_text,
    "numeric": _check_numeric,
    "matching": _check_matching,
    "ordering": _check_ordering,
}


def test_the_add_link_of_a_quiz_fills_in_the_quiz_and_puts_the_question_last(
    editor_client, quiz
):
    single_choice(quiz, sort_order=0)
    single_choice(quiz, text="Друге питання", sort_order=4)

    response = editor_client.get(url(TrueFalseQuestion, "add") + f"?quiz={quiz.pk}")

    form = response.context["form"]
    assert form.initial["quiz"] == quiz.pk
    assert form.initial["sort_order"] == 5
    soup = parse(response)
    assert soup.find("input", attrs={"name": "quiz"})["value"] == str(quiz.pk)
    assert "«Перевірка знань»" in text_of(soup.find("form"))
    assert "This question belongs" not in text_of(soup)


# Validation -------------------------------------------------------------------


def post_invalid(client, model, data):
    """POSTs a form the admin must refuse; returns its parsed HTML."""
    questions_before = Question.objects.count()
    response = client.post(url(model, "add"), data)
    assert response.status_code == 200
    assert Question.objects.count() == questions_before
    return parse(response)


def test_single_choice_with_two_correct_options_is_refused_keeping_the_input(
    editor_client, quiz
):
    data = question_form(
        quiz,
        text="Хто затверджує статут громади?",
        options=options(("Рада", True, "Так."), ("Голова", True, "Ні.")),
    )

    soup = post_invalid(editor_client, SingleChoiceQuestion, data)

    assert ukrainian("Mark exactly one option as correct.") in text_of(soup)
    assert soup.find("textarea", attrs={"name": "text"}).get_text() == (
        "Хто затверджує статут громади?"
    )
    assert soup.find("input", attrs={"name": "options-0-text"})["value"] == "Рада"
    assert soup.find("input", attrs={"name": "options-1-feedback"})["value"] == "Ні."
    assert soup.find("input", attrs={"name": "options-1-is_correct"}).has_attr(
        "checked"
    )


@pytest.mark.parametrize(
    ("model", "fields", "msgid"),
    [
        (
            SingleChoiceQuestion,
            {"options": options(("Рада", True, ""))},
            "Add at least two options.",
        ),
        (
            SingleChoiceQuestion,
            {"options": options(("Рада", False, ""), ("Голова", False, ""))},
            "Mark exactly one option as correct.",
        ),
        (
            MultipleChoiceQuestion,
            {
                "scoring": "all",
                "options": options(("Рада", False, ""), ("Голова", False, "")),
            },
            "Mark at least one option as correct.",
        ),
        (
            ShortTextQuestion,
            {"accepted_answers": "  \n "},
            "Enter at least one accepted answer, one per line.",
        ),
        (
            NumericQuestion,
            {"correct_value": "30", "tolerance": "-1"},
            "The tolerance cannot be negative.",
        ),
        (
            MatchingQuestion,
            {"pairs": inline_formset([{"left": "Петиція", "right": "Підписи"}])},
            "Add at least two pairs.",
        ),
        (
            OrderingQuestion,
            {"items": inline_formset([{"text": "Карта проблем"}])},
            "Add at least two items.",
        ),
        (
            OrderingQuestion,
            {"items": inline_formset([{"text": "Звіт"}, {"text": " звіт "}])},
            "Items must differ from one another.",
        ),
    ],
)
def test_unanswerable_questions_are_refused_with_a_message_in_ukrainian(
    editor_client, quiz, model, fields, msgid
):
    soup = post_invalid(editor_client, model, question_form(quiz, **fields))

    assert ukrainian(msgid) in text_of(soup)
    assert soup.find("textarea", attrs={"name": "text"}).get_text() == (
        "Питання для перевірки"
    )


# Editing, deleting, ordering --------------------------------------------------


def test_editing_reorders_and_removes_options_and_keeps_the_question_type(
    editor_client, quiz
):
    question = single_choice(quiz)
    head, tail = question.options.all()
    rows = [
        {"id": str(tail.pk), "text": "Староста", "is_correct": "on", "ORDER": "0"},
        {"id": str(head.pk), "text": "Голова", "ORDER": "1", "DELETE": "on"},
        {"text": "Секретар ради", "feedback": "Ні.", "ORDER": "2"},
    ]
    data = question_form(quiz, options=inline_formset(rows, initial=2))

    response = editor_client.post(url(SingleChoiceQuestion, "edit", question.pk), data)

    assert response.status_code == 302
    question = Question.objects.get(pk=question.pk)
    assert type(question) is SingleChoiceQuestion
    # A draft: the live question keeps its options until the change is approved.
    assert [(o.text, o.is_correct) for o in question.options.all()] == [
        ("Голова", True),
        ("Староста", False),
    ]
    draft = question.get_latest_revision_as_object()
    assert [(o.text, o.is_correct) for o in draft.options.all()] == [
        ("Староста", True),
        ("Секретар ради", False),
    ]
    question.latest_revision.publish()
    assert [(o.text, o.is_correct) for o in question.options.all()] == [
        ("Староста", True),
        ("Секретар ради", False),
    ]


def test_a_moderator_deletes_a_question_and_returns_to_the_quiz(quiz):
    question = single_choice(quiz)
    moderator = client_for(make_staff(MODERATORS))

    response = moderator.post(url(SingleChoiceQuestion, "delete", question.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("quiz_questions:index", args=[quiz.pk])
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not AnswerOption.objects.filter(question_id=question.pk).exists()


def test_an_editor_deletes_a_draft_question_but_not_a_live_one(editor_client, quiz):
    draft = single_choice(quiz, text="Чернетка")
    Question.objects.filter(pk=draft.pk).update(live=False)
    live = single_choice(quiz, text="Питання, яке отримують учасники")

    response = editor_client.post(url(SingleChoiceQuestion, "delete", draft.pk))
    assert response.status_code == 302
    assert not Question.objects.filter(pk=draft.pk).exists()

    edit = url(SingleChoiceQuestion, "edit", live.pk)
    for method in (editor_client.get, editor_client.post):
        response = method(url(SingleChoiceQuestion, "delete", live.pk))
        assert response.status_code == 302
        assert response["Location"] == f"{edit}?withdraw=1"
    assert Question.objects.filter(pk=live.pk).exists()
    # The editor is asked to withdraw it through moderation instead.
    soup = parse(editor_client.get(f"{edit}?withdraw=1"))
    assert soup.find("input", attrs={"name": "withdrawn"}).has_attr("checked")
    listing = parse(editor_client.get(reverse("quiz_questions:index", args=[quiz.pk])))
    assert not listing.select(f"a[href*='/delete/{live.pk}/']")
    assert listing.select(f"a[href='{edit}?withdraw=1']")


def test_moving_a_question_renumbers_the_questions_of_its_quiz_only(quiz):
    first, second, third = (
        single_choice(quiz, text=f"Питання {n}", sort_order=0) for n in (1, 2, 3)
    )
    other_quiz_question = single_choice(make_quiz(quiz.get_parent()), sort_order=7)
    reorder = reverse("quiz_questions:reorder", args=[quiz.pk, third.pk])

    response = client_for(make_staff(MODERATORS)).post(f"{reorder}?position=0")

    assert response.json() == {"success": True}
    ordered = Question.objects.filter(quiz=quiz).order_by("sort_order", "pk")
    assert list(ordered.values_list("pk", "sort_order")) == [
        (third.pk, 0),
        (first.pk, 1),
        (second.pk, 2),
    ]
    other_quiz_question.refresh_from_db()
    assert other_quiz_question.sort_order == 7


def test_a_question_cannot_be_moved_through_another_quiz(quiz):
    question = single_choice(quiz)
    other = make_quiz(quiz.get_parent())
    reorder = reverse("quiz_questions:reorder", args=[other.pk, question.pk])

    moderator = client_for(make_staff(MODERATORS))
    assert moderator.post(f"{reorder}?position=0").status_code == 404


@pytest.mark.parametrize("group", [REVIEWERS, EDITORS])
def test_only_those_who_publish_questions_reorder_them(quiz, group):
    # Learners get the new order at once, as with Wagtail's page reordering.
    question = single_choice(quiz, sort_order=3)
    single_choice(quiz, sort_order=4)
    reorder = reverse("quiz_questions:reorder", args=[quiz.pk, question.pk])

    response = client_for(make_staff(group)).post(f"{reorder}?position=1")

    assert response.status_code in (302, 403)
    question.refresh_from_db()
    assert question.sort_order == 3


def test_the_quiz_question_list_shows_every_type_in_order_with_edit_links(quiz):
    moderator = client_for(make_staff(MODERATORS))
    text = ShortTextQuestion.objects.create(
        quiz=quiz, text="Як називається громада?", accepted_answers="громада",
        sort_order=1,
    )  # fmt: skip
    single = single_choice(quiz, sort_order=2)
    true_false = TrueFalseQuestion.objects.create(
        quiz=quiz, text="Слухання відкриті?", correct_answer=True, sort_order=0
    )

    response = moderator.get(reverse("quiz_questions:index", args=[quiz.pk]))

    assert response.status_code == 200
    table = parse(response).find("table", attrs={"data-controller": "w-orderable"})
    rows = table.select("tbody tr")
    assert [text_of(row.find("a")) for row in rows] == [
        "Слухання відкриті?",
        "Як називається громада?",
        single.text,
    ]
    assert rows[0].find("a")["href"] == url(TrueFalseQuestion, "edit", true_false.pk)
    assert rows[1].find("a")["href"] == url(ShortTextQuestion, "edit", text.pk)
    assert table["data-w-orderable-url-value"] == reverse(
        "quiz_questions:reorder", args=[quiz.pk, 999999]
    )
    soup = parse(response)
    add_links = {a["href"] for a in soup.select("a[href*='/add/?quiz=']")}
    assert add_links == {
        f"{url(model, 'add')}?quiz={quiz.pk}" for model in QUESTION_TYPES.values()
    }


# The quiz page editor ---------------------------------------------------------


def test_the_quiz_page_editor_lists_questions_and_offers_every_type(
    editor_client, quiz
):
    single = single_choice(quiz, sort_order=1)
    numeric = NumericQuestion.objects.create(
        quiz=quiz, text="Скільки днів на розгляд петиції?", correct_value=10,
        sort_order=0,
    )  # fmt: skip

    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk]))

    assert response.status_code == 200
    soup = parse(response)
    listed = soup.select("ol.quiz-questions li a")
    assert [(a["href"], text_of(a)) for a in listed] == [
        (url(NumericQuestion, "edit", numeric.pk), numeric.text),
        (url(SingleChoiceQuestion, "edit", single.pk), single.text),
    ]
    adds = [text_of(a) for a in soup.select("a[href*='/add/?quiz=']")]
    assert len(adds) == 7
    add_question = ukrainian("Add question: %(type)s")
    assert adds[0].startswith(add_question.split("%")[0].strip())


def test_a_new_quiz_page_asks_to_be_saved_before_questions_are_added(
    editor_client, quiz
):
    module = quiz.get_parent()
    add = reverse("wagtailadmin_pages:add", args=["courses", "quizpage", module.pk])

    soup = parse(editor_client.get(add))

    assert not soup.select("a[href*='/add/?quiz=']")
    hint = ukrainian(
        "Save the quiz as a draft first; then its questions can be added here."
    )
    assert hint in text_of(soup)


def test_a_question_editor_links_to_the_quiz_preview(editor_client, quiz):
    question = single_choice(quiz)

    soup = parse(editor_client.get(url(SingleChoiceQuestion, "edit", question.pk)))

    preview = reverse("wagtailadmin_pages:view_draft", args=[quiz.pk])
    assert soup.find("a", href=preview) is not None
    assert soup.find("a", href=reverse("quiz_questions:index", args=[quiz.pk]))


def test_the_type_listing_filters_questions_by_quiz(editor_client, quiz):
    mine = single_choice(quiz, text="Моє питання")
    single_choice(make_quiz(quiz.get_parent()), text="Чуже питання")

    response = editor_client.get(url(SingleChoiceQuestion, "list"), {"quiz": quiz.pk})

    assert response.status_code == 200
    assert list(response.context["object_list"]) == [mine]


# Page rules and preview -------------------------------------------------------


def quiz_page_form(slug: str) -> dict:
    return nested_form_data(
        {
            "title": "Підсумковий тест",
            "slug": slug,
            "intro": rich_text("<p>Десять питань.</p>", features=RICH_TEXT_FEATURES),
            "required": "on",
            "pass_mark": "70",
            "max_attempts": "3",
            "time_limit_minutes": "20",
            "wait_minutes": "0",
            "draw_count": "",
            "answers_shown": "after_last",
        }
    )


class QuizPageAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = factories.build_course(modules=1, lessons_per_module=1)
        cls.editor = make_staff(EDITORS)

    def setUp(self):
        super().setUp()
        patcher = mock.patch(
            "wagtail.test.utils.page_tests.AUTH_BACKEND", MODEL_BACKEND
        )
        patcher.start()
        self.addCleanup(patcher.stop)
        self.client.force_login(self.editor, MODEL_BACKEND)

    def test_a_quiz_goes_under_a_module_or_the_course_but_not_a_lesson(self):
        self.assertCanCreateAt(ModulePage, QuizPage)
        self.assertCanCreateAt(CoursePage, QuizPage)
        self.assertCanNotCreateAt(LessonPage, QuizPage)

    def test_an_editor_creates_a_module_quiz_and_a_final_test(self):
        module, course = self.tree.modules[0], self.tree.course
        self.assertCanCreate(module, QuizPage, quiz_page_form("test-1"), publish=False)
        self.assertCanCreate(course, QuizPage, quiz_page_form("final"), publish=False)
        final = QuizPage.objects.get(slug="final")
        self.assertEqual(final.get_parent().pk, course.pk)
        self.assertEqual(final.time_limit_minutes, 20)

    def test_the_quiz_preview_renders_in_the_page_editor(self):
        pytest.importorskip("courses.quizzes.views")
        quiz = make_quiz(self.tree.modules[0])
        single_choice(quiz)
        data = quiz_page_form(quiz.slug)
        self.assertPageIsPreviewable(quiz, post_data=data, user=self.editor)
        # The «preview» link of a question's editor.
        self.client.force_login(self.editor, MODEL_BACKEND)
        draft = reverse("wagtailadmin_pages:view_draft", args=[quiz.pk])
        response = self.client.get(draft)
        self.assertEqual(response.status_code, 200, response.get("Location"))


def test_question_lists_query_the_database_a_fixed_number_of_times(
    editor_client, quiz, django_assert_max_num_queries
):
    pages = [
        reverse("quiz_questions:index", args=[quiz.pk]),
        reverse("wagtailadmin_pages:edit", args=[quiz.pk]),
        url(SingleChoiceQuestion, "list"),
    ]
    single_choice(quiz)
    TrueFalseQuestion.objects.create(quiz=quiz, text="Так?", correct_answer=True)
    counts = {}
    for page in pages:
        with django_assert_max_num_queries(200) as queries:
            editor_client.get(page)
        counts[page] = len(queries.captured_queries)

    for n in range(8):
        single_choice(quiz, text=f"Питання {n}", sort_order=n)
        TrueFalseQuestion.objects.create(
            quiz=quiz, text=f"Так {n}?", correct_answer=True
        )

    for page in pages:
        with django_assert_max_num_queries(counts[page]):
            assert editor_client.get(page).status_code == 200
