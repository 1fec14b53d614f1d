"""Progress over HTTP: who may do what, and that GET never records anything."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Completion, Enrolment
from courses.progress import complete_lesson, enrol, get_progress
from lms.roles import EDITORS
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return factories.build_course(modules=2, lessons_per_module=2)


@pytest.fixture
def people(tree):
    """Learner A (enrolled, one lesson done), learner B (enrolled), an editor."""
    a, b = factories.make_user(), factories.make_user()
    for learner in (a, b):
        enrol(learner=learner, course=tree.course)
    complete_lesson(learner=a, lesson=tree.lessons[0])
    editor = factories.make_user(is_staff=False)
    editor.groups.add(Group.objects.get(name=EDITORS))
    return {"anonymous": None, "a": a, "b": b, "editor": editor}


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def complete_url(lesson):
    return reverse("courses:complete_lesson", args=[lesson.pk])


def test_get_on_a_state_changing_url_changes_nothing(tree, people):
    client = client_for(people["b"])
    response = client.get(complete_url(tree.lessons[1]))
    assert response.status_code == 405
    response = client.get(reverse("courses:enrol", args=[tree.course.pk]))
    assert response.status_code == 405
    assert not Completion.objects.filter(learner=people["b"]).exists()


def test_posts_without_a_csrf_token_are_refused(tree, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["b"])
    response = client.post(complete_url(tree.lessons[1]))
    assert response.status_code == 403
    assert not Completion.objects.filter(learner=people["b"]).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("a", 200), ("b", 200), ("editor", 200)],
)
def test_dashboard_access(tree, people, who, expected):
    response = client_for(people[who]).get(reverse("courses:dashboard"))
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith("/account/login/")


@pytest.mark.parametrize(
    ("who", "expected", "recorded"),
    [
        ("anonymous", 302, False),
        ("a", 302, True),
        ("b", 302, True),
        ("editor", 403, False),
    ],
)
def test_completing_a_lesson_by_role(tree, people, who, expected, recorded):
    lesson = tree.lessons[1]
    response = client_for(people[who]).post(complete_url(lesson))
    assert response.status_code == expected
    user = people[who]
    exists = (
        user is not None
        and Completion.objects.filter(learner=user, page_id=lesson.pk).exists()
    )
    assert exists is recorded


def test_learner_b_never_sees_as_progress(tree, people):
    client = client_for(people["b"])
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    assert 'value="0"' in dashboard
    assert 'value="25"' not in dashboard
    assert 'value="25"' not in client.get(tree.course.url).content.decode()


def test_what_learner_b_posts_never_changes_as_records(tree, people):
    a = people["a"]
    before = set(Completion.objects.filter(learner=a).values_list("pk", "page_id"))
    client = client_for(people["b"])
    for lesson in tree.lessons:
        client.post(complete_url(lesson))
    after = set(Completion.objects.filter(learner=a).values_list("pk", "page_id"))
    assert after == before
    assert Enrolment.objects.get(learner=a).completed_at is None


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("a", 200), ("b", 200), ("editor", 200)],
)
def test_lesson_page_access(tree, people, who, expected):
    response = client_for(people[who]).get(tree.lessons[0].url)
    assert response.status_code == expected


def test_a_learner_not_enrolled_is_sent_to_the_course_page(tree):
    stranger = factories.make_user()
    response = client_for(stranger).get(tree.lessons[0].url)
    assert response.status_code == 302
    assert response["Location"] == tree.course.url


def test_an_open_preview_lesson_is_readable_by_anyone(tree):
    lesson = tree.lessons[0]
    lesson.is_preview = True
    lesson.save_revision().publish()
    assert Client().get(lesson.url).status_code == 200


def test_enrolling_by_post_creates_one_enrolment(tree):
    stranger = factories.make_user()
    client = client_for(stranger)
    url = reverse("courses:enrol", args=[tree.course.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Enrolment.objects.filter(learner=stranger).count() == 1


def test_completing_moves_on_to_the_next_lesson(tree, people):
    response = client_for(people["a"]).post(complete_url(tree.lessons[1]))
    assert response["Location"] == tree.lessons[2].url


def test_reading_a_lesson_writes_nothing_and_continue_leads_to_the_next_step(
    tree, people
):
    client = client_for(people["b"])
    client.get(tree.lessons[2].url)  # warms the caches of the outline

    with CaptureQueriesContext(connection) as queries:
        assert client.get(tree.lessons[2].url).status_code == 200

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]
    assert writes == []
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    first_not_done = get_progress(learner=people["b"], course=tree.course).next_step
    assert f'href="{first_not_done.url}"' in dashboard
    assert first_not_done.page_id != tree.lessons[2].pk


def test_a_locked_module_says_why_and_links_the_step_that_unlocks_it():
    tree = factories.build_course(modules=2, lessons_per_module=1, sequential=True)
    learner = factories.make_user()
    enrol(learner=learner, course=tree.course)
    response = client_for(learner).get(tree.lessons[1].url)
    assert response.status_code == 403
    html = response.content.decode()
    assert tree.modules[1].title in html
    assert f'href="{tree.lessons[0].url}"' in html
    refused = client_for(learner).post(complete_url(tree.lessons[1]))
    assert refused.status_code == 403


def test_the_personal_data_export_holds_only_the_learners_own_progress(tree, people):
    a, b = people["a"], people["b"]
    data = client_for(a).get("/account/data.json").json()["sections"]
    assert [row["course"] for row in data["enrolments"]] == [tree.course.title]
    assert [row["step"] for row in data["completed_steps"]] == [tree.lessons[0].title]
    other = client_for(b).get("/account/data.json").json()["sections"]
    assert other["completed_steps"] == []
