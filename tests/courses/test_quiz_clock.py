"""The server's clock rules an attempt: deadline, grace period and the sweep.

Time is frozen with time_machine; every request runs at the moment given.
"""

from datetime import UTC, datetime, timedelta
from html import unescape
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from courses.models import Completion, QuestionResult, QuizAttempt
from courses.quizzes.attempts import grace
from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")
START = datetime(2026, 3, 10, 9, 0, tzinfo=KYIV)
SECOND = timedelta(seconds=1)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def tree():
    return factories.build_course(modules=1, lessons_per_module=1)


@pytest.fixture
def quiz(tree):
    quiz = qf.make_quiz(tree.modules[0], time_limit_minutes=30, pass_mark=40)
    qf.add_one_of_each(quiz)
    return quiz


def started(tree, quiz, moment=START) -> tuple[Client, QuizAttempt]:
    """A new enrolled learner's client and the attempt it started at ``moment``."""
    with at(moment):
        learner = qf.enrolled_learner(tree.course)
        client = Client()
        client.force_login(learner)
        response = client.post(quiz.url + "start/")
    assert response.status_code == 302
    return client, QuizAttempt.objects.get(learner=learner, quiz=quiz)


def fresh(attempt: QuizAttempt) -> QuizAttempt:
    return QuizAttempt.objects.get(pk=attempt.pk)


def test_the_deadline_is_stored_when_the_attempt_starts(tree, quiz):
    _client, attempt = started(tree, quiz)
    assert attempt.started_at == START
    assert attempt.deadline == START + timedelta(minutes=30)


def test_a_save_one_second_before_the_deadline_is_kept(tree, quiz):
    client, attempt = started(tree, quiz)
    moment = attempt.deadline - SECOND
    with at(moment):
        response = client.post(attempt_url(quiz), qf.answers_post(attempt))
    assert response["Location"] == attempt_url(quiz)
    saved = fresh(attempt)
    assert len(saved.answers) == 7
    assert saved.answers_saved_at == moment


def test_a_submit_within_the_grace_period_is_scored(tree, quiz):
    client, attempt = started(tree, quiz)
    with at(attempt.deadline + grace() - SECOND):
        client.post(attempt_url(quiz), qf.answers_post(attempt, action="submit"))
    graded = fresh(attempt)
    assert graded.status == QuizAttempt.Status.SUBMITTED
    assert graded.score == graded.max_score == 7
    assert not graded.late_answers_ignored


def test_a_late_submit_grades_only_the_answers_saved_before_the_deadline(tree, quiz):
    client, attempt = started(tree, quiz)
    early = {q["key"] for q in attempt.questions[:3]}
    with at(START + timedelta(minutes=10)):
        client.post(attempt_url(quiz), qf.answers_post(attempt, keys=early))
    late = attempt.deadline + grace() + SECOND
    with at(late):
        response = client.post(
            attempt_url(quiz), qf.answers_post(attempt, action="submit"), follow=True
        )
    graded = fresh(attempt)
    assert graded.status == QuizAttempt.Status.TIMED_OUT
    assert graded.late_answers_ignored
    assert set(graded.answers) == early
    assert graded.score == 3
    assert graded.closed_at == late
    assert response.status_code == 200  # the result, in answer to the submit
    assert f'data-result-url="{attempt_url(quiz)}result/"' in response.content.decode()
    warning = qf.tr(
        "The time was up: the answers saved before the deadline were graded, "
        "the ones sent later were not."
    )
    assert warning in unescape(response.content.decode())


def test_saving_after_the_deadline_and_grace_is_refused(tree, quiz):
    client, attempt = started(tree, quiz)
    with at(attempt.deadline + grace() + SECOND):
        autosave = client.post(attempt_url(quiz) + "save/", qf.answers_post(attempt))
        form = client.post(attempt_url(quiz), qf.answers_post(attempt))
        page = client.get(attempt_url(quiz))
    assert autosave.status_code == 409
    assert form["Location"] == attempt_url(quiz)
    assert fresh(attempt).answers == {}
    # The page of an overdue attempt offers to finish it; GET changes nothing.
    html = page.content.decode()
    assert 'name="action" value="submit"' in html
    assert 'class="quiz-form"' not in html
    assert fresh(attempt).is_open


def test_the_sweep_closes_overdue_attempts_with_their_saved_answers_once(tree, quiz):
    saver, saved = started(tree, quiz)
    _idle, idle = started(tree, quiz)
    # Started two seconds later: still inside its grace when the sweep runs.
    _late, inside = started(tree, quiz, START + 2 * SECOND)
    with at(START + timedelta(minutes=5)):
        saver.post(attempt_url(quiz), qf.answers_post(saved))
    sweep_at = saved.deadline + grace() + SECOND
    with at(sweep_at):
        first, second = sweep(), sweep()
    assert (first, second) == (2, 0)
    saved, idle, inside = fresh(saved), fresh(idle), fresh(inside)
    assert saved.status == idle.status == QuizAttempt.Status.TIMED_OUT
    assert (saved.score, saved.passed, saved.closed_at) == (7, True, sweep_at)
    assert (idle.score, idle.passed) == (0, False)
    assert inside.is_open
    assert QuestionResult.objects.filter(attempt__in=[saved, idle]).count() == 14
    assert Completion.objects.filter(learner=saved.learner, page_id=quiz.pk).exists()
    with at(inside.deadline + grace() + SECOND):
        assert sweep() == 1
    assert QuestionResult.objects.count() == 21


def test_a_deadline_across_the_kyiv_dst_change_is_exactly_the_time_limit(tree):
    # 2026-10-25: at 04:00 summer time (UTC+3) clocks go back to 03:00 (UTC+2).
    quiz = qf.make_quiz(tree.modules[0], time_limit_minutes=60)
    qf.add_single(quiz)
    start = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 03:30 summer time
    client, attempt = started(tree, quiz, start)
    assert start.astimezone(KYIV).utcoffset() == timedelta(hours=3)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=60)
    assert attempt.deadline == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    with at(start + timedelta(minutes=1)):
        html = client.get(attempt_url(quiz)).content.decode()
    # The wall clock shows 03:30 again, now in winter time.
    assert '<time datetime="2026-10-25T03:30:00+02:00">' in html
    with at(attempt.deadline - SECOND):
        kept = client.post(attempt_url(quiz) + "save/", qf.answers_post(attempt))
    with at(attempt.deadline + grace() + SECOND):
        refused = client.post(attempt_url(quiz) + "save/", qf.answers_post(attempt))
    assert (kept.status_code, refused.status_code) == (200, 409)


def attempt_url(quiz, number=1) -> str:
    return f"{quiz.url}attempt/{number}/"


def sweep() -> int:
    out = StringIO()
    call_command("close_overdue_attempts", stdout=out)
    return int(out.getvalue().rsplit(":", 1)[1])
