"""Per-question statistics for editors, from the results of graded attempts."""

import importlib
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from courses.models import (
    AnswerOption,
    NumericQuestion,
    Question,
    QuestionTally,
    QuizPage,
    ShortTextQuestion,
    SingleChoiceQuestion,
)
from courses.progress import enrol
from courses.quizzes.admin.stats import question_statistics, rebuild_tallies
from courses.quizzes.attempts import start_attempt, submit_attempt
from lms.roles import EDITORS, MODERATORS, ORGANISERS, REVIEWERS
from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
STATS_URL = "courses_quiz_question_stats"


def make_quiz(parent) -> QuizPage:
    quiz = factories.add_page(parent, QuizPage(title="Тест модуля", max_attempts=0))
    choice = SingleChoiceQuestion.objects.create(
        quiz=quiz, text="Хто скликає слухання?", sort_order=0
    )
    AnswerOption.objects.create(question=choice, text="Голова", is_correct=True)
    AnswerOption.objects.create(question=choice, text="Староста")
    ShortTextQuestion.objects.create(
        quiz=quiz, text="Назвіть документ громади", accepted_answers="статут",
        sort_order=1,
    )  # fmt: skip
    NumericQuestion.objects.create(
        quiz=quiz, text="Скільки підписів потрібно?", correct_value=100, sort_order=2
    )
    return quiz


def answers_for(attempt, *, choice=None, text=None, number=None) -> dict:
    """Raw answers by question type: ``choice`` is True/False for right/wrong."""
    raw = {}
    for question in attempt.questions:
        if question["type"] == "single" and choice is not None:
            option = next(o for o in question["options"] if o["correct"] is choice)
            raw[question["key"]] = str(option["id"])
        elif question["type"] == "text" and text is not None:
            raw[question["key"]] = text
        elif question["type"] == "numeric" and number is not None:
            raw[question["key"]] = number
    return raw


@pytest.fixture
def course():
    return factories.build_course(modules=2, lessons_per_module=1)


@pytest.fixture
def quiz(course):
    return make_quiz(course.modules[0])


def graded(quiz, course, **answers):
    """One learner's submitted attempt with the given answers."""
    learner = factories.make_user()
    enrol(learner=learner, course=course.course)
    attempt = start_attempt(learner=learner, quiz=quiz)
    return submit_attempt(
        attempt_id=attempt.pk, learner=learner, raw=answers_for(attempt, **answers)
    )


@pytest.fixture
def three_attempts(course, quiz):
    graded(quiz, course, choice=True, text=" Статут ", number="100")
    graded(quiz, course, choice=True, text="положення")
    graded(quiz, course, choice=False)


def by_text(rows) -> dict:
    return {row.text: (row.drawn, row.answered, row.correct) for row in rows}


def test_counts_of_drawn_answered_and_right_per_question(quiz, three_attempts):
    rows = question_statistics(quiz_id=quiz.pk)

    assert [row.text for row in rows] == [
        "Хто скликає слухання?",
        "Назвіть документ громади",
        "Скільки підписів потрібно?",
    ]
    assert by_text(rows) == {
        "Хто скликає слухання?": (3, 3, 2),
        "Назвіть документ громади": (3, 2, 1),
        "Скільки підписів потрібно?": (3, 1, 1),
    }
    assert [row.correct_percent for row in rows] == [67, 33, 33]


def test_edited_questions_show_their_current_text_and_deleted_ones_their_stored_text(
    quiz, three_attempts
):
    choice = SingleChoiceQuestion.objects.get(quiz=quiz)
    choice.text = "Хто скликає громадські слухання?"
    choice.save()
    NumericQuestion.objects.get(quiz=quiz).delete()
    ShortTextQuestion.objects.create(
        quiz=quiz, text="Нове питання", accepted_answers="так", sort_order=5
    )

    rows = question_statistics(quiz_id=quiz.pk)

    assert by_text(rows) == {
        "Хто скликає громадські слухання?": (3, 3, 2),
        "Назвіть документ громади": (3, 2, 1),
        "Нове питання": (0, 0, 0),
        "Скільки підписів потрібно?": (3, 1, 1),
    }
    assert rows[-1].deleted and rows[-1].question_id is None
    assert rows[2].correct_percent is None


def test_each_quiz_counts_only_its_own_results(course, quiz, three_attempts):
    other = make_quiz(course.modules[1])
    graded(other, course, choice=False, text="статут")

    mine = question_statistics(quiz_id=quiz.pk)
    theirs = question_statistics(quiz_id=other.pk)
    everything = question_statistics()

    assert by_text(mine)["Хто скликає слухання?"] == (3, 3, 2)
    assert by_text(theirs)["Хто скликає слухання?"] == (1, 1, 0)
    assert len(everything) == 6
    assert [row.quiz_id for row in everything] == [quiz.pk] * 3 + [other.pk] * 3


def test_the_number_of_queries_does_not_grow_with_attempts(
    course, quiz, django_assert_max_num_queries
):
    graded(quiz, course, choice=True)
    with django_assert_max_num_queries(2):
        question_statistics(quiz_id=quiz.pk)

    for _ in range(6):
        graded(quiz, course, choice=False, text="статут", number="7")
    with django_assert_max_num_queries(2):
        rows = question_statistics(quiz_id=quiz.pk)
    assert [row.drawn for row in rows] == [7, 7, 7]


# The report ---------------------------------------------------------------------


def client_in(group: str | None) -> Client:
    user = factories.make_user()
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user, MODEL_BACKEND)
    return client


@pytest.mark.parametrize("group", [EDITORS, MODERATORS])
def test_editors_and_moderators_read_the_report_for_a_quiz(
    group, quiz, three_attempts, django_assert_max_num_queries
):
    client = client_in(group)

    with django_assert_max_num_queries(40):
        response = client.get(reverse(STATS_URL), {"quiz": quiz.pk})

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html5lib")
    table = soup.find("table", class_="listing")
    cells = [
        [" ".join(td.get_text(" ").split()) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    ]
    assert cells[0] == ["Тест модуля", "Хто скликає слухання?", "3", "3", "2", "67"]
    choice = SingleChoiceQuestion.objects.get(quiz=quiz)
    edit = reverse(choice.snippet_viewset.get_url_name("edit"), args=[choice.pk])
    assert table.find("a", href=edit) is not None


def test_the_filter_refreshes_the_results_alone(quiz, three_attempts):
    results_url = reverse("courses_quiz_question_stats_results")

    response = client_in(EDITORS).get(results_url, {"quiz": quiz.pk})

    assert response.status_code == 200
    assert "Назвіть документ громади" in response.content.decode()
    assert b"<html" not in response.content


def test_the_report_query_count_is_fixed_whatever_the_attempts(
    course, quiz, django_assert_max_num_queries
):
    client = client_in(EDITORS)
    graded(quiz, course, choice=True)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse(STATS_URL), {"quiz": quiz.pk})
    for _ in range(5):
        graded(quiz, course, choice=False)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(STATS_URL), {"quiz": quiz.pk})
    assert response.status_code == 200


@pytest.mark.parametrize("group", [None, REVIEWERS, ORGANISERS])
def test_learners_reviewers_and_organisers_do_not_see_the_report(
    group, quiz, three_attempts
):
    response = client_in(group).get(reverse(STATS_URL), {"quiz": quiz.pk})

    assert response.status_code in (302, 403)
    assert b"\xd0\xa5\xd1\x82\xd0\xbe" not in response.content  # «Хто»


def test_the_report_exports_as_csv(quiz, three_attempts):
    response = client_in(EDITORS).get(
        reverse(STATS_URL), {"quiz": quiz.pk, "export": "csv"}
    )

    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8").splitlines()
    assert lines[1].endswith("Хто скликає слухання?,3,3,2,67")


# The running counts ------------------------------------------------------------

CHOICE, TEXT, NUMBER = (
    "Хто скликає слухання?",
    "Назвіть документ громади",
    "Скільки підписів потрібно?",
)


def tallies() -> dict:
    """(quiz, question, text) → (drawn, answered, right), rows of a key added up."""
    counted = {}
    for row in QuestionTally.objects.all():
        key = (row.quiz_id, row.question_id, row.question_text)
        before = counted.get(key, (0, 0, 0))
        now = (row.drawn, row.answered, row.correct)
        counted[key] = tuple(a + b for a, b in zip(before, now, strict=True))
    return counted


def ids(quiz) -> dict:
    questions = Question.objects.non_polymorphic().filter(quiz=quiz)
    return dict(questions.values_list("text", "pk"))


def test_grading_adds_each_attempt_to_one_row_per_question(quiz, three_attempts):
    question = ids(quiz)

    assert tallies() == {
        (quiz.pk, question[CHOICE], CHOICE): (3, 3, 2),
        (quiz.pk, question[TEXT], TEXT): (3, 2, 1),
        (quiz.pk, question[NUMBER], NUMBER): (3, 1, 1),
    }
    assert QuestionTally.objects.count() == 3


def test_partial_credit_counts_as_answered_but_not_right(course):
    quiz = qf.make_quiz(course.modules[0], max_attempts=0)
    question = qf.add_multiple(quiz, scoring="partial", text="Що входить до статуту?")
    learner = qf.enrolled_learner(course.course)
    attempt = start_attempt(learner=learner, quiz=quiz)
    first_right = next(o for o in attempt.questions[0]["options"] if o["correct"])

    graded = submit_attempt(
        attempt_id=attempt.pk,
        learner=learner,
        raw={attempt.questions[0]["key"]: [str(first_right["id"])]},
    )

    assert graded.score == graded.max_score / 2
    assert tallies() == {(quiz.pk, question.pk, "Що входить до статуту?"): (1, 1, 0)}


def test_a_question_deleted_during_an_attempt_is_counted_by_its_stored_text(
    course, quiz, three_attempts
):
    learner = factories.make_user()
    enrol(learner=learner, course=course.course)
    attempt = start_attempt(learner=learner, quiz=quiz)
    raw = answers_for(attempt, choice=False, number="100")
    NumericQuestion.objects.get(quiz=quiz).delete()

    submit_attempt(attempt_id=attempt.pk, learner=learner, raw=raw)

    assert tallies()[(quiz.pk, None, NUMBER)] == (4, 2, 2)
    rows = question_statistics(quiz_id=quiz.pk)
    assert by_text(rows) == {
        CHOICE: (4, 4, 2),
        TEXT: (4, 2, 1),
        NUMBER: (4, 2, 2),
    }
    assert rows[-1].text == NUMBER and rows[-1].deleted


def series_of_submits(course, quiz):
    """Attempts across two quizzes, an edit and a deletion between them."""
    other = make_quiz(course.modules[1])
    graded(other, course, choice=False, text="статут")
    choice = SingleChoiceQuestion.objects.get(quiz=quiz)
    choice.text = "Хто скликає громадські слухання?"
    choice.save()
    graded(quiz, course, choice=True, number="99")
    learner = factories.make_user()
    enrol(learner=learner, course=course.course)
    attempt = start_attempt(learner=learner, quiz=quiz)
    ShortTextQuestion.objects.get(quiz=quiz).delete()
    raw = answers_for(attempt, text="статут")
    submit_attempt(attempt_id=attempt.pk, learner=learner, raw=raw)
    graded(other, course, choice=True, text="статут", number="100")
    return other


def test_rebuilding_counts_what_grading_counted(course, quiz, three_attempts):
    other = series_of_submits(course, quiz)
    counted, report = tallies(), question_statistics()
    out = StringIO()

    call_command("rebuild_question_stats", stdout=out)

    assert tallies() == counted
    assert question_statistics() == report
    assert out.getvalue() == f"Question tallies rebuilt: {len(counted)}\n"
    # Grading goes on from rebuilt counts as it would have from its own.
    graded(quiz, course, choice=False, text="статут")
    graded(other, course, choice=True)
    counted, report = tallies(), question_statistics()
    assert rebuild_tallies() == len(counted)
    assert tallies() == counted
    assert question_statistics() == report


def test_the_migration_counts_the_results_graded_before_it(
    course, quiz, three_attempts
):
    series_of_submits(course, quiz)
    counted = tallies()
    QuestionTally.objects.all().delete()
    migration = importlib.import_module("courses.migrations.0009_question_tallies")

    migration.fill_tallies(apps, schema_editor=None)

    assert tallies() == counted
