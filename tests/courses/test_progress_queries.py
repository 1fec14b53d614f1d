"""Pages for an enrolled learner cost the same whatever the course or crowd size."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Completion, Enrolment
from courses.progress import complete_lesson, enrol
from tests import factories

pytestmark = pytest.mark.django_db


def crowd(course, lessons, size):
    """``size`` other learners enrolled in ``course``, each with one lesson done."""
    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=f"crowd{n}-{factories.next_number()}@example.org", password="!")
        for n in range(size)
    )
    Enrolment.objects.bulk_create(Enrolment(learner=u, course=course) for u in users)
    Completion.objects.bulk_create(
        Completion(learner=u, course=course, page_id=lessons[0].pk, kind="lesson")
        for u in users
    )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def enrolled_client(client, tree):
    learner = factories.make_user()
    enrol(learner=learner, course=tree.course)
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    client.force_login(learner)
    return client


@pytest.mark.parametrize("page", ["lesson", "course", "module"])
def test_enrolled_learners_pages_cost_the_same_for_3_or_60_lessons(
    client, page, django_assert_max_num_queries
):
    small = factories.build_course(modules=1, lessons_per_module=3)
    large = factories.build_course(modules=6, lessons_per_module=10)
    urls = {
        "lesson": lambda tree: tree.lessons[1].url,
        "course": lambda tree: tree.course.url,
        "module": lambda tree: tree.modules[0].url,
    }[page]
    baseline = queries_for(enrolled_client(client, small), urls(small))
    enrolled_client(client, large)
    client.get(urls(large))  # the first visit records the step opened
    with django_assert_max_num_queries(baseline):
        client.get(urls(large))


def test_the_lesson_page_costs_the_same_for_10_or_10000_learners(
    client, django_assert_max_num_queries
):
    tree = factories.build_course(modules=2, lessons_per_module=3)
    crowd(tree.course, tree.lessons, 10)
    enrolled_client(client, tree)
    url = tree.lessons[1].url
    client.get(url)
    baseline = queries_for(client, url)
    crowd(tree.course, tree.lessons[1:], 9_990)
    with django_assert_max_num_queries(baseline):
        client.get(url)


def test_the_dashboard_costs_the_same_for_one_course_or_three(
    client, django_assert_max_num_queries
):
    learner = factories.make_user()
    client.force_login(learner)
    first = factories.build_course(modules=1, lessons_per_module=2)
    enrol(learner=learner, course=first.course)
    baseline = queries_for(client, "/learning/")
    for _ in range(2):
        other = factories.build_course(modules=2, lessons_per_module=3)
        enrol(learner=learner, course=other.course)
    with django_assert_max_num_queries(baseline):
        client.get("/learning/")
