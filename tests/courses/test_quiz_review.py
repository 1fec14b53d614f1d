"""The review of a closed attempt: escaped, formatted like the rest of the site,
and the same whether it answers the submit or is opened again later."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.template.defaultfilters import floatformat
from django.test import Client
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from courses.models import QuestionResult, QuizAttempt, SingleChoiceQuestion
from courses.quizzes.attempts import Detail
from courses.quizzes.review import _Labels, review_html
from courses.quizzes.selectors import ResultItem
from tests import factories
from tests import quiz_factories as qf

SCRIPT = "<script>alert('питання')</script>"
IMAGE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def tree(db):
    return factories.build_course(modules=1, lessons_per_module=1)


@pytest.fixture
def learner(tree):
    return qf.enrolled_learner(tree.course)


@pytest.fixture
def client(learner):
    client = Client()
    client.force_login(learner)
    return client


def submit(client, quiz, *, right=True):
    started = client.post(quiz.url + "start/")
    assert started.status_code == 302
    attempt = QuizAttempt.objects.get(quiz=quiz, status="in_progress")
    data = qf.answers_post(attempt, right=right, action="submit")
    return attempt, client.post(started["Location"], data)


def test_hostile_question_text_answers_and_feedback_are_escaped(tree, client):
    quiz = qf.make_quiz(tree.modules[0])
    qf.add_single(
        quiz,
        text=f"Що робити? {SCRIPT}",
        options=[(f"Так {IMAGE}", True, f"Відгук {SCRIPT}"), ("Ні & ні", False)],
        explanation=f"Рядок один\nРядок два {IMAGE}",
    )
    qf.add_text(quiz, accepted=[f"текст {SCRIPT}"])
    _attempt, response = submit(client, quiz)
    assert response.status_code == 200
    for html in (
        response.content.decode(),
        client.get(quiz.url + "attempt/1/result/").content.decode(),
    ):
        review = html[html.index('<ol class="quiz-review">') :]
        assert "<script>" not in review
        assert "<img" not in review
        assert "&lt;script&gt;alert(&#x27;питання&#x27;)&lt;/script&gt;" in review
        assert "Ні &amp; ні" not in review  # not chosen, and the answer is «Так»
        assert f"Відгук {SCRIPT}" in unescape(review)
        assert "Рядок один<br>Рядок два &lt;img" in review  # line breaks kept


@given(
    st.decimals(
        min_value=Decimal("0"), max_value=Decimal("1000"), places=2, allow_nan=False
    )
)
def test_points_read_exactly_as_the_floatformat_filter_shows_them(value):
    with translation.override("uk"):
        labels = _Labels()
        assert labels.number(value) == str(floatformat(value, "-2"))


def test_review_marks_each_question_right_partly_right_wrong_or_unanswered():
    items = [
        ResultItem(1, "Перше", Decimal(1), Decimal(1), True, True, ["А"]),
        ResultItem(2, "Друге", Decimal(2), Decimal("0.5"), True, False, ["Б"]),
        ResultItem(3, "Третє", Decimal(1), Decimal(0), True, False, ["В"]),
        ResultItem(4, "Четверте", Decimal(1), Decimal(0), False, False, []),
    ]
    with translation.override("uk"):
        html = review_html(items, detail=Detail.MARKS)
        marks = [line for line in html.splitlines() if "quiz-review__mark--" in line]
    assert [m.split("quiz-review__mark--")[1].split('"')[0] for m in marks] == [
        "right",
        "partial",
        "wrong",
        "wrong",
    ]
    text = unescape(html)
    assert "✓ Правильно · 1 бал з 1" in re.sub(r"<[^>]+>", "", text)
    assert "Частково правильно · 0,50 бала з 2" in text
    assert "Неправильно · 0 балів з 1" in text
    assert "Балів:" not in text and "Правильно:" not in text
    assert "Частково правильно" in text
    assert "Неправильно" in text
    assert text.count("Немає відповіді") >= 2  # the mark and the answer of item 4
    assert "Правильна відповідь" not in text  # the policy hides the answers


def test_a_question_deleted_during_the_attempt_keeps_its_result_row(tree, client):
    quiz = qf.make_quiz(tree.modules[0])
    kept, gone = (
        qf.add_single(quiz, text="Залишиться"),
        qf.add_single(quiz, text="Буде видалене"),
    )
    started = client.post(quiz.url + "start/")
    attempt = QuizAttempt.objects.get(quiz=quiz, status="in_progress")
    data = qf.answers_post(attempt, right=True, action="submit")
    SingleChoiceQuestion.objects.filter(pk=gone.pk).delete()
    response = client.post(started["Location"], data)
    assert response.status_code == 200
    graded = QuizAttempt.objects.get(pk=attempt.pk)
    assert graded.score == 2  # graded from the snapshot, both questions
    rows = {
        row.question_text: row for row in QuestionResult.objects.filter(attempt=graded)
    }
    assert rows["Буде видалене"].question_id is None
    assert rows["Буде видалене"].correct
    assert rows["Залишиться"].question_id == kept.pk


def test_the_result_of_a_second_attempt_names_the_better_first(tree, client):
    quiz = qf.make_quiz(tree.modules[0], max_attempts=3, pass_mark=50)
    qf.add_single(quiz)
    qf.add_truefalse(quiz)
    _first, first = submit(client, quiz, right=True)
    assert first.status_code == 200
    _second, second = submit(client, quiz, right=False)
    text = qf.page_text(second)
    best = qf.tr(
        "Your best result is %(percent)s%% (attempt %(number)s); "
        "the best attempt counts.",
        percent=100,
        number=1,
    )
    assert best in text
    # One attempt is left, but the best attempt counts and it scored 100 %:
    # another could change nothing.
    assert qf.tr("Try again") not in text
    assert best in qf.page_text(client.get(quiz.url + "attempt/2/result/"))
