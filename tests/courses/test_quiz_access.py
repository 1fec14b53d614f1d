"""Who may open which quiz URL: every URL × every kind of visitor."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from courses.models import QuizAttempt
from courses.quizzes.attempts import start_attempt, submit_attempt
from lms.roles import EDITORS
from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def world():
    """A quiz; learner A with a closed attempt 1 and an open attempt 2."""
    tree = factories.build_course(modules=1, lessons_per_module=1)
    quiz = qf.make_quiz(tree.modules[0], max_attempts=5)
    qf.add_one_of_each(quiz)
    a = qf.enrolled_learner(tree.course)
    b = qf.enrolled_learner(tree.course)
    first = start_attempt(learner=a, quiz=quiz)
    submit_attempt(attempt_id=first.pk, learner=a, raw={})
    second = start_attempt(learner=a, quiz=quiz)
    editor = factories.make_user()
    editor.groups.add(Group.objects.get(name=EDITORS))
    people = {
        "anonymous": None,
        "a": a,
        "b": b,
        "stranger": factories.make_user(),
        "editor": editor,
    }
    return {"tree": tree, "quiz": quiz, "open": second, "people": people}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def request(world, who, what):
    """Sends the request ``what`` as ``who``; returns the response."""
    quiz, base = world["quiz"], world["quiz"].url
    client = client_for(world["people"][who])
    post = qf.answers_post(world["open"], right=False)
    calls = {
        "landing": lambda: client.get(base),
        "start": lambda: client.post(base + "start/"),
        "attempt GET": lambda: client.get(base + "attempt/2/"),
        "attempt POST": lambda: client.post(base + "attempt/2/", post),
        "autosave": lambda: client.post(base + "attempt/2/save/", post),
        "result": lambda: client.get(base + "attempt/1/result/"),
        "preview": lambda: client.get(
            reverse(
                "wagtailadmin_pages:revisions_view",
                args=[quiz.pk, quiz.latest_revision_id],
            )
        ),
    }
    return calls[what]()


# (URL, visitor) → (status, where a redirect goes: "login", "course", "admin
# login", "attempt", or None).
MATRIX = {
    "landing": {
        "anonymous": (200, None),
        "a": (200, None),
        "b": (200, None),
        "stranger": (200, None),
        "editor": (200, None),
    },
    "start": {
        "anonymous": (302, "login"),
        "a": (302, "attempt 2"),  # the open attempt, not a new one
        "b": (302, "attempt 1"),  # B's own first attempt
        "stranger": (302, "course"),
        "editor": (302, "course"),
    },
    "attempt GET": {
        "anonymous": (302, "login"),
        "a": (200, None),
        "b": (404, None),
        "stranger": (302, "course"),
        "editor": (302, "course"),
    },
    "attempt POST": {
        "anonymous": (302, "login"),
        "a": (302, "attempt 2"),
        "b": (404, None),
        "stranger": (302, "course"),
        "editor": (302, "course"),
    },
    "autosave": {
        "anonymous": (302, "login"),
        "a": (200, None),
        "b": (404, None),
        "stranger": (403, None),
        "editor": (403, None),
    },
    "result": {
        "anonymous": (302, "login"),
        "a": (200, None),
        "b": (404, None),
        "stranger": (302, "course"),
        "editor": (302, "course"),
    },
    "preview": {
        "anonymous": (302, "admin login"),
        "a": (302, "admin login"),
        "b": (302, "admin login"),
        "stranger": (302, "admin login"),
        "editor": (200, None),
    },
}
CASES = [(what, who) for what, row in MATRIX.items() for who in row]


def expected_location(world, where: str) -> str:
    quiz = world["quiz"]
    if where == "login":
        return LOGIN
    if where == "admin login":
        return ADMIN_LOGIN
    if where == "course":
        return world["tree"].course.url
    number = where.split()[1]
    return f"{quiz.url}attempt/{number}/"


@pytest.mark.parametrize(("what", "who"), CASES, ids=[f"{w}-{p}" for w, p in CASES])
def test_quiz_url_access(world, what, who):
    status, where = MATRIX[what][who]
    response = request(world, who, what)
    assert response.status_code == status
    if where:
        assert response["Location"].startswith(expected_location(world, where))


def test_learner_b_never_sees_or_changes_as_attempts(world):
    a, b = world["people"]["a"], world["people"]["b"]
    before = list(QuizAttempt.objects.filter(learner=a).values())
    for what in ("attempt GET", "attempt POST", "autosave", "result"):
        response = request(world, "b", what)
        assert response.status_code == 404
        assert world["quiz"].title not in response.content.decode()
    assert list(QuizAttempt.objects.filter(learner=a).values()) == before
    assert not QuizAttempt.objects.filter(learner=b).exists()


def test_the_same_attempt_number_shows_each_learner_their_own_attempt(world):
    a, b = world["people"]["a"], world["people"]["b"]
    base = world["quiz"].url
    saved = client_for(a).post(
        base + "attempt/2/", qf.answers_post(world["open"], right=True)
    )
    assert saved.status_code == 302
    b_first = start_attempt(learner=b, quiz=world["quiz"])
    submit_attempt(attempt_id=b_first.pk, learner=b, raw={})
    start_attempt(learner=b, quiz=world["quiz"])
    html = client_for(b).get(base + "attempt/2/").content.decode()
    assert "checked" not in html
    assert 'value="відповідь"' not in html
    assert QuizAttempt.objects.get(pk=world["open"].pk).answers


def test_state_changing_quiz_urls_refuse_get(world):
    client = client_for(world["people"]["a"])
    base = world["quiz"].url
    assert client.get(base + "start/").status_code == 405
    assert client.get(base + "attempt/2/save/").status_code == 405
    assert client.post(base + "attempt/1/result/").status_code == 405
    assert client.post(base).status_code == 405


def test_quiz_posts_without_a_csrf_token_are_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["people"]["a"])
    base = world["quiz"].url
    post = qf.answers_post(world["open"], right=True, action="submit")
    assert client.post(base + "start/").status_code == 403
    assert client.post(base + "attempt/2/", post).status_code == 403
    assert client.post(base + "attempt/2/save/", post).status_code == 403
    attempt = QuizAttempt.objects.get(pk=world["open"].pk)
    assert attempt.is_open
    assert attempt.answers == {}


@pytest.mark.parametrize("number", ["0", "3", "99999", "99999999999999999999"])
def test_attempt_numbers_that_do_not_exist_are_not_found(world, number):
    client = client_for(world["people"]["a"])
    base = world["quiz"].url
    assert client.get(f"{base}attempt/{number}/").status_code == 404
    assert client.get(f"{base}attempt/{number}/result/").status_code == 404
    assert client.post(f"{base}attempt/{number}/save/").status_code == 404
