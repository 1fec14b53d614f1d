"""What an enrolment keeps for the reports: when the first step was done, and
where the learner worked as it was at completion."""

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Enrolment
from courses.progress import complete_lesson, enrol
from lms.accounts.services import anonymise_user
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return factories.build_course(modules=1, lessons_per_module=2)


def profile_post(places, *, oblast, hromada, organisation):
    return {
        "last_name": "Коваль",
        "first_name": "Олена",
        "position_title": "Спеціалістка",
        "position_category": str(places.category.pk),
        "organisation": organisation,
        "oblast": str(oblast.pk),
        "hromada": str(hromada.pk),
    }


@pytest.fixture
def learner(places):
    return factories.make_user(
        organisation="Кремінська міська рада",
        position_category=places.category,
        oblast=places.oblast,
        hromada=places.hromada,
    )


def test_an_enrolment_starts_with_the_learners_profile(tree, learner, places):
    enrolment, _created = enrol(learner=learner, course=tree.course)
    assert (enrolment.oblast, enrolment.hromada) == (places.oblast, places.hromada)
    assert enrolment.position_category == places.category
    assert enrolment.organisation == "Кремінська міська рада"
    assert enrolment.started_at is None


def test_the_first_step_marks_the_start_once(tree, learner):
    enrol(learner=learner, course=tree.course)
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    first = Enrolment.objects.get(learner=learner).started_at
    complete_lesson(learner=learner, lesson=tree.lessons[1])
    assert first is not None
    assert Enrolment.objects.get(learner=learner).started_at == first


def test_a_profile_edit_moves_courses_in_progress_not_completed_ones(learner, places):
    done_tree = factories.build_course(modules=1, lessons_per_module=1)
    open_tree = factories.build_course(modules=1, lessons_per_module=1)
    enrol(learner=learner, course=done_tree.course)
    complete_lesson(learner=learner, lesson=done_tree.lessons[0])
    enrol(learner=learner, course=open_tree.course)
    client = Client()
    client.force_login(learner)

    response = client.post(
        reverse("accounts:profile"),
        profile_post(
            places,
            oblast=places.other_oblast,
            hromada=places.other_hromada,
            organisation="Бучанська міська рада",
        ),
    )

    assert response.status_code == 302
    completed = Enrolment.objects.get(course=done_tree.course)
    in_progress = Enrolment.objects.get(course=open_tree.course)
    assert completed.oblast == places.oblast  # as it was at completion
    assert completed.organisation == "Кремінська міська рада"
    assert in_progress.oblast == places.other_oblast
    assert in_progress.hromada == places.other_hromada
    assert in_progress.organisation == "Бучанська міська рада"


def test_completion_freezes_the_profile_of_that_moment(tree, learner, places):
    enrol(learner=learner, course=tree.course)
    # Changed outside the profile page (e.g. by an administrator): completion
    # still records where the learner works at that moment.
    learner.oblast, learner.hromada = places.other_oblast, places.other_hromada
    learner.save()
    for lesson in tree.lessons:
        complete_lesson(learner=learner, lesson=lesson)
    enrolment = Enrolment.objects.get(learner=learner)
    assert enrolment.completed_at is not None
    assert enrolment.oblast == places.other_oblast


def test_anonymisation_leaves_the_records_for_statistics(tree, learner, places):
    enrol(learner=learner, course=tree.course)
    for lesson in tree.lessons:
        complete_lesson(learner=learner, lesson=lesson)
    anonymise_user(user=learner)
    enrolment = Enrolment.objects.get(course=tree.course)
    assert enrolment.oblast == places.oblast
    assert enrolment.position_category == places.category
    assert enrolment.organisation == "Кремінська міська рада"
