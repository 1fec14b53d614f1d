"""Races on PostgreSQL: learners submitting one quiz at once are all counted."""

import pytest
from django.db import connection

from courses.models import QuestionResult, QuestionTally, QuizAttempt
from courses.progress import enrol
from courses.quizzes.admin.stats import rebuild_tallies
from courses.quizzes.attempts import start_attempt, submit_attempt
from tests import factories
from tests.courses.test_attempts import make_quiz, right_answers, wrong_answers
from tests.courses.test_progress_concurrency import run_together, wagtail_root

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]
__all__ = ["wagtail_root"]  # the fixture recreates the page tree root

LEARNERS = 8
QUESTIONS = 12


def open_attempts(quiz, course, count: int) -> list:
    """``count`` learners, each with an open attempt at ``quiz``."""
    attempts = []
    for _ in range(count):
        learner = factories.make_user()
        enrol(learner=learner, course=course)
        attempts.append(start_attempt(learner=learner, quiz=quiz))
    return attempts


def submit(attempt, *, right: bool):
    answers = right_answers(attempt) if right else wrong_answers(attempt)
    return lambda: submit_attempt(
        attempt_id=attempt.pk, learner=attempt.learner, raw=answers
    )


def counts(quiz) -> list[tuple[int, int, int]]:
    tallies = QuestionTally.objects.filter(quiz=quiz).order_by("question_id")
    return list(tallies.values_list("drawn", "answered", "correct"))


@pytest.mark.parametrize("counted_before", [0, 1], ids=["new rows", "existing rows"])
def test_learners_submitting_the_same_quiz_at_once_are_all_counted(counted_before):
    # Questions in a different order in every attempt: the tallies must still
    # be locked in one order, or two submits would wait for each other.
    tree = factories.build_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=QUESTIONS, shuffle_questions=True)
    for attempt in open_attempts(quiz, tree.course, counted_before):
        submit(attempt, right=True)()
    attempts = open_attempts(quiz, tree.course, LEARNERS)
    assert len({tuple(attempt.question_keys()) for attempt in attempts}) > 1

    errors = run_together(
        *[submit(attempt, right=n % 2 == 0) for n, attempt in enumerate(attempts)]
    )

    assert errors == []
    drawn = LEARNERS + counted_before
    right = LEARNERS // 2 + counted_before
    assert counts(quiz) == [(drawn, drawn, right)] * QUESTIONS
    submitted = QuizAttempt.objects.filter(quiz=quiz, status="submitted")
    assert submitted.count() == drawn


def test_a_rebuild_during_submits_loses_no_count():
    tree = factories.build_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=QUESTIONS, shuffle_questions=True)
    for attempt in open_attempts(quiz, tree.course, 2):
        submit(attempt, right=False)()
    attempts = open_attempts(quiz, tree.course, LEARNERS - 2)

    errors = run_together(
        rebuild_tallies,
        *[submit(attempt, right=True) for attempt in attempts],
    )

    assert errors == []
    assert counts(quiz) == [(LEARNERS, LEARNERS, LEARNERS - 2)] * QUESTIONS
    assert QuestionResult.objects.filter(quiz=quiz).count() == LEARNERS * QUESTIONS
