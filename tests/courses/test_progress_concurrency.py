"""Races on PostgreSQL: double clicks and parallel tabs record everything once."""

import pytest
from django.db import connection
from wagtail.models import Locale, Page

from courses.models import Completion, Enrolment
from courses.progress import complete_lesson, enrol
from courses.signals import course_completed
from tests import concurrency, factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def wagtail_root():
    """A transactional test starts from flushed tables: recreate the tree root."""
    Locale.objects.get_or_create(language_code="uk")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root"))


def run_together(*calls):
    """Runs the calls at once; returns what they raised."""
    return concurrency.run_together(*calls, timeout=30)[1]


def test_the_same_lesson_completed_twice_at_once_is_recorded_once():
    tree = factories.build_course(modules=1, lessons_per_module=2)
    learner = factories.make_user()
    enrol(learner=learner, course=tree.course)
    lesson = tree.lessons[0]
    errors = run_together(
        *[lambda: complete_lesson(learner=learner, lesson=lesson)] * 4
    )
    assert errors == []
    assert Completion.objects.filter(learner=learner, page_id=lesson.pk).count() == 1


def test_the_last_two_lessons_at_once_complete_and_announce_the_course_once():
    tree = factories.build_course(modules=2, lessons_per_module=2)
    learner = factories.make_user()
    enrol(learner=learner, course=tree.course)
    for lesson in tree.lessons[:-2]:
        complete_lesson(learner=learner, lesson=lesson)
    announced = []

    def receiver(sender, enrolment, **kwargs):
        announced.append(enrolment.pk)

    course_completed.connect(receiver)
    try:
        last_two = tree.lessons[-2:]
        errors = run_together(
            lambda: complete_lesson(learner=learner, lesson=last_two[0]),
            lambda: complete_lesson(learner=learner, lesson=last_two[1]),
        )
    finally:
        course_completed.disconnect(receiver)
    assert errors == []
    enrolment = Enrolment.objects.get(learner=learner, course=tree.course)
    assert enrolment.completed_at is not None
    assert len(announced) == 1
    assert Completion.objects.filter(learner=learner, kind="module").count() == 2


def test_parallel_enrol_clicks_leave_one_enrolment():
    tree = factories.build_course(modules=1, lessons_per_module=1)
    learner = factories.make_user()
    errors = run_together(*[lambda: enrol(learner=learner, course=tree.course)] * 4)
    assert errors == []
    assert Enrolment.objects.filter(learner=learner).count() == 1
