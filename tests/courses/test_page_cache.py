"""Open lessons are served to anonymous visitors from the cache, never stale."""

import pytest
from django.test import Client

from courses.progress import enrol
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_lesson():
    tree = factories.build_course(
        modules=1, lessons_per_module=2, lesson_fields={"is_preview": True}
    )
    return tree, tree.lessons[0]


def test_a_published_change_reaches_anonymous_visitors_at_once(open_lesson):
    _tree, lesson = open_lesson
    assert "Зміст уроку" in Client().get(lesson.url).content.decode()
    lesson.body = [factories.paragraph("Оновлений текст уроку")]
    lesson.save_revision().publish()
    html = Client().get(lesson.url).content.decode()
    assert "Оновлений текст уроку" in html


def test_signed_in_learners_never_get_the_anonymous_copy(open_lesson):
    tree, lesson = open_lesson
    Client().get(lesson.url)  # fills the cache
    learner = factories.make_user()
    enrol(learner=learner, course=tree.course)
    client = Client()
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "csrfmiddlewaretoken" in html  # the «mark as completed» form
    anonymous = Client().get(lesson.url).content.decode()
    assert "csrfmiddlewaretoken" not in anonymous
