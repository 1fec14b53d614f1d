"""Pages that show one person's data are never kept by a browser or a proxy.

On a shared office computer, Back after signing out showed the previous
learner's «Моє навчання», attempts and results from the browser's cache.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    value = response.get("Cache-Control", "")
    return {part.strip() for part in value.split(",") if part.strip()}


@pytest.fixture
def learner_pages():
    tree = factories.build_course(modules=1, lessons_per_module=1)
    learner = qf.enrolled_learner(tree.course)
    quiz = qf.make_quiz(tree.modules[0])
    qf.add_single(quiz)
    client = Client()
    client.force_login(learner)
    client.post(quiz.url + "start/")
    attempt = quiz.attempts.get()
    submitted = client.post(
        f"{quiz.url}attempt/1/", qf.answers_post(attempt, action="submit")
    )
    client.post(quiz.url + "start/")
    return (
        client,
        {
            "my learning": reverse("courses:dashboard"),
            "course": tree.course.url,
            "lesson": tree.lessons[0].url,
            "quiz": quiz.url,
            "open attempt": f"{quiz.url}attempt/2/",
            "result": f"{quiz.url}attempt/1/result/",
            "profile": reverse("accounts:profile"),
            "my data": reverse("accounts:data"),
            "home": "/",
        },
        submitted,
    )


def test_every_page_a_signed_in_person_sees_is_private_and_not_stored(learner_pages):
    client, urls, submitted = learner_pages
    assert {"private", "no-store"} <= directives(submitted)  # the submit's result
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert {"private", "no-store"} <= directives(response), name
        assert "public" not in directives(response), name
        assert "Cookie" in response.get("Vary", ""), name


def test_anonymous_pages_stay_cacheable():
    factories.build_course(modules=1, lessons_per_module=1)
    response = Client().get("/")
    assert "no-store" not in directives(response)
