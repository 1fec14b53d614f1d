"""Races on PostgreSQL: parallel starts, double submits and concurrent sweeps."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from courses.models import Completion, QuestionResult, QuizAttempt
from courses.progress import enrol
from courses.quizzes.attempts import (
    close_overdue_attempts,
    start_attempt,
    submit_attempt,
    submit_numbered,
)
from tests import factories
from tests.courses.test_attempts import make_quiz, right_answers
from tests.courses.test_progress_concurrency import run_together, wagtail_root

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]
__all__ = ["wagtail_root"]  # the fixture recreates the page tree root


def setup_quiz(**settings):
    tree = factories.build_course(modules=1, lessons_per_module=1)
    learner = factories.make_user()
    enrol(learner=learner, course=tree.course)
    return learner, make_quiz(tree.modules[0], **settings)


def test_parallel_starts_at_the_attempt_limit_make_one_attempt():
    learner, quiz = setup_quiz(max_attempts=1)
    errors = run_together(*[lambda: start_attempt(learner=learner, quiz=quiz)] * 5)
    assert errors == []
    assert QuizAttempt.objects.filter(learner=learner, quiz=quiz).count() == 1


def test_parallel_starts_after_a_finished_attempt_respect_the_limit():
    learner, quiz = setup_quiz(max_attempts=2)
    first = start_attempt(learner=learner, quiz=quiz)
    submit_attempt(attempt_id=first.pk, learner=learner, raw={})
    run_together(*[lambda: start_attempt(learner=learner, quiz=quiz)] * 5)
    assert QuizAttempt.objects.filter(learner=learner, quiz=quiz).count() == 2


def test_parallel_double_submits_grade_exactly_once():
    learner, quiz = setup_quiz()
    attempt = start_attempt(learner=learner, quiz=quiz)
    answers = right_answers(attempt)
    results = []

    def submit():
        results.append(
            submit_attempt(attempt_id=attempt.pk, learner=learner, raw=answers)
        )

    errors = run_together(submit, submit, submit)
    assert errors == []
    assert QuestionResult.objects.filter(attempt=attempt).count() == 3
    assert {(r.score, r.closed_at) for r in results} == {
        (results[0].score, results[0].closed_at)
    }


def test_parallel_submits_from_the_form_grade_once_and_record_one_completion():
    # The path the attempt form takes: the attempt found by its number, the
    # learner's attempts read under the lock for the result page.
    learner, quiz = setup_quiz()
    attempt = start_attempt(learner=learner, quiz=quiz)
    answers = right_answers(attempt)
    seen = []

    def submit():
        graded, attempts = submit_numbered(
            learner=learner, quiz=quiz, number=attempt.number,
            answers_from=lambda _questions: answers,
        )  # fmt: skip
        seen.append((graded.score, graded.closed_at, [str(a.status) for a in attempts]))

    errors = run_together(submit, submit, submit, submit)
    assert errors == []
    assert QuestionResult.objects.filter(attempt=attempt).count() == 3
    assert Completion.objects.filter(learner=learner, page_id=quiz.pk).count() == 1
    assert len(seen) == 4 and len(set(map(repr, seen))) == 1
    assert seen[0][2] == ["submitted"]


def test_concurrent_sweeps_close_each_overdue_attempt_once():
    learner, quiz = setup_quiz(time_limit_minutes=1)
    start = timezone.now() - timedelta(minutes=10)
    attempt = start_attempt(learner=learner, quiz=quiz, now=start)
    closed = []
    errors = run_together(*[lambda: closed.append(close_overdue_attempts())] * 3)
    assert errors == []
    assert sum(closed) == 1
    assert QuestionResult.objects.filter(attempt=attempt).count() == 3


def test_a_sweep_waits_for_an_autosave_holding_the_attempt_and_then_closes_it():
    # An autosave locks the attempt row without the enrolment. A sweep that
    # skipped locked rows left the attempt open; it must wait and close it.
    learner, quiz = setup_quiz(time_limit_minutes=1)
    attempt = start_attempt(
        learner=learner, quiz=quiz, now=timezone.now() - timedelta(minutes=10)
    )
    locked, release = threading.Event(), threading.Event()

    def hold_the_attempt():
        with transaction.atomic():
            QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
            locked.set()
            release.wait(timeout=10)

    holder = threading.Thread(target=hold_the_attempt)
    holder.start()
    locked.wait(timeout=10)
    closed = []
    sweeper = threading.Thread(target=lambda: closed.append(close_overdue_attempts()))
    sweeper.start()
    time.sleep(0.3)  # the sweep is now waiting for the lock, or skipped it
    release.set()
    holder.join(timeout=10)
    sweeper.join(timeout=10)
    close_old_connections()
    assert closed == [1]
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.TIMED_OUT


def test_a_sweep_and_the_learners_late_submit_at_once_grade_once():
    learner, quiz = setup_quiz(time_limit_minutes=1)
    attempt = start_attempt(
        learner=learner, quiz=quiz, now=timezone.now() - timedelta(minutes=10)
    )
    closed = []
    errors = run_together(
        lambda: closed.append(close_overdue_attempts()),
        lambda: submit_attempt(attempt_id=attempt.pk, learner=learner, raw={}),
        lambda: closed.append(close_overdue_attempts()),
    )
    assert errors == []
    assert sum(closed) <= 1
    assert QuestionResult.objects.filter(attempt=attempt).count() == 3
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.TIMED_OUT


def test_a_submit_while_an_editor_deletes_a_question_grades_without_its_link():
    # The editor's delete runs first and holds its transaction; the submit
    # must wait for it and keep the result without the link, not fail on the
    # foreign key when the deletion commits.
    from courses.models import Question, QuestionTally

    learner, quiz = setup_quiz()
    attempt = start_attempt(learner=learner, quiz=quiz)
    answers = right_answers(attempt)
    gone = attempt.questions[0]["question_id"]
    deleting, release = threading.Event(), threading.Event()

    def delete_question():
        with transaction.atomic():
            Question.objects.filter(pk=gone).delete()
            deleting.set()
            release.wait(timeout=10)

    errors = []

    def submit():
        try:
            submit_attempt(attempt_id=attempt.pk, learner=learner, raw=answers)
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)

    editor = threading.Thread(target=delete_question)
    editor.start()
    deleting.wait(timeout=10)
    learner_thread = threading.Thread(target=submit)
    learner_thread.start()
    time.sleep(0.3)  # the submit is now waiting for the deletion
    release.set()
    editor.join(timeout=10)
    learner_thread.join(timeout=10)
    close_old_connections()
    assert errors == []
    rows = QuestionResult.objects.filter(attempt=attempt)
    assert rows.count() == 3
    assert rows.filter(question__isnull=True).count() == 1
    assert QuestionTally.objects.filter(quiz=quiz, question__isnull=True).count() == 1
