"""Quiz pages and posts cost the same number of queries for 5 or 50 questions."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses.models import QuizAttempt
from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db


def attempt_of(size: int):
    """A client whose learner has an open attempt of ``size`` drawn questions."""
    tree = factories.build_course(modules=1, lessons_per_module=1)
    quiz = qf.make_quiz(tree.modules[0], max_attempts=0)
    qf.add_mixed(quiz, size + 5)
    quiz.draw_count = size
    quiz.save_revision().publish()
    learner = qf.enrolled_learner(tree.course)
    client = Client()
    client.force_login(learner)
    client.post(quiz.url + "start/")
    attempt = QuizAttempt.objects.get(learner=learner, quiz=quiz)
    assert len(attempt.questions) == size
    url = f"{quiz.url}attempt/{attempt.number}/"
    assert client.get(url).status_code == 200  # warms the site and type caches
    return client, quiz, attempt, url


def run(step: str, client, quiz, attempt, url):
    """Sends one request of ``step``; returns its response."""
    answers = qf.answers_post(attempt, right=True)
    if step == "attempt page":
        return client.get(url)
    if step == "save":
        return client.post(url, answers)
    if step == "autosave":
        return client.post(url + "save/", answers)
    if step == "submit":
        return client.post(url, {**answers, "action": "submit"})
    if step == "result":
        return client.get(url + "result/")
    if step == "landing":
        return client.get(quiz.url)
    raise ValueError(step)


def prepare(step: str, client, quiz, attempt, url):
    """What comes before the measured request, so both sizes start alike."""
    if step in ("save", "autosave"):
        run(step, client, quiz, attempt, url)  # the first save of many
    if step in ("result", "landing"):
        run("submit", client, quiz, attempt, url)


STEPS = ["attempt page", "save", "autosave", "submit", "result", "landing"]


@pytest.mark.parametrize("step", STEPS)
def test_quiz_steps_cost_the_same_for_5_or_50_questions(
    step, django_assert_max_num_queries
):
    small, large = attempt_of(5), attempt_of(50)
    prepare(step, *small)
    prepare(step, *large)
    with CaptureQueriesContext(connection) as baseline:
        response = run(step, *small)
    assert response.status_code in (200, 302)
    with django_assert_max_num_queries(len(baseline)):
        response = run(step, *large)
    assert response.status_code in (200, 302)
    if step == "submit":
        graded = QuizAttempt.objects.get(pk=large[2].pk)
        assert graded.passed
        assert graded.question_results.count() == 50


def fresh_start(size: int):
    """A learner about to start a quiz of ``size`` questions of every type."""
    tree = factories.build_course(modules=1, lessons_per_module=1)
    quiz = qf.make_quiz(tree.modules[0], max_attempts=0)
    qf.add_mixed(quiz, size)
    learner = qf.enrolled_learner(tree.course)
    client = Client()
    client.force_login(learner)
    assert client.get(quiz.url).status_code == 200  # warms the per-process caches
    return client, quiz


def test_starting_a_quiz_costs_the_same_for_7_or_56_questions(
    django_assert_max_num_queries,
):
    # Every type in both (7 types), so both make the same per-type queries.
    small, large = fresh_start(7), fresh_start(56)
    with CaptureQueriesContext(connection) as baseline:
        response = small[0].post(small[1].url + "start/")
    assert response.status_code == 302
    with django_assert_max_num_queries(len(baseline)):
        response = large[0].post(large[1].url + "start/")
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(quiz=large[1])
    assert len(attempt.questions) == 56
    with_options = [q for q in attempt.questions if "options" in q]
    assert len(with_options) == 16  # single- and multiple-choice questions
    assert all(len(question["options"]) >= 2 for question in with_options)
    matching = [q for q in attempt.questions if q["type"] == "matching"]
    assert matching and all(len(question["left"]) >= 2 for question in matching)
