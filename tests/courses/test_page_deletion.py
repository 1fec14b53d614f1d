"""Pages with learners' records are never deleted, one at a time or in bulk.

The database's PROTECT keeps the records either way; these tests hold the
admin to a polite refusal instead of a 500, with nothing deleted.
"""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from courses.deletion import protected_page_relations, refusal_message
from courses.progress import complete_lesson, enrol
from courses.quizzes.attempts import start_attempt, submit_attempt
from lms.roles import MODERATORS
from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return factories.build_course(modules=2, lessons_per_module=2)


def moderator():
    user = factories.make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user


@pytest.fixture(params=["moderator", "administrator"])
def staff_client(request):
    user = moderator() if request.param == "moderator" else factories.make_superuser()
    client = Client()
    client.force_login(user)
    return client


def bulk_delete(client, *pages):
    ids = "&".join(f"id={page.pk}" for page in pages)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    return client.post(f"{url}?{ids}&next=/admin/pages/")


def single_delete(client, page):
    return client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))


def refused(response, page, how=single_delete) -> bool:
    """Redirected with the refusal, the page still there."""
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    expected = refusal_message([page.title] if how is bulk_delete else None)
    return (
        response.status_code == 302
        and Page.objects.filter(pk=page.pk).exists()
        and any(m.startswith(expected) for m in messages)
    )


def learner_with_completed_lesson(tree):
    learner = factories.make_user()
    enrol(learner=learner, course=tree.course)
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    return learner


def test_every_protected_record_of_a_page_is_known():
    found = {(model.__name__, name) for model, name in protected_page_relations()}
    assert {
        ("Enrolment", "course"),
        ("Completion", "page"),
        ("QuizAttempt", "quiz"),
        ("Certificate", "course"),
    } <= found


@pytest.mark.parametrize("how", [single_delete, bulk_delete])
def test_a_lesson_with_progress_is_refused_with_the_same_message(
    tree, staff_client, how
):
    learner_with_completed_lesson(tree)
    lesson = tree.lessons[0]
    assert refused(how(staff_client, lesson), lesson, how)


@pytest.mark.parametrize("how", [single_delete, bulk_delete])
def test_a_quiz_with_only_failed_attempts_is_refused(tree, staff_client, how):
    # No completion points at the quiz, only its attempts: before, the single
    # delete reached the database's PROTECT too.
    quiz = qf.make_quiz(tree.modules[0])
    qf.add_single(quiz)
    learner = factories.make_user()
    enrol(learner=learner, course=tree.course)
    attempt = start_attempt(learner=learner, quiz=quiz)
    submit_attempt(attempt_id=attempt.pk, learner=learner, raw={})
    assert refused(how(staff_client, quiz), quiz, how)


def test_a_bulk_delete_with_one_page_with_records_deletes_nothing(tree, staff_client):
    learner_with_completed_lesson(tree)
    spare, kept = tree.lessons[1], tree.lessons[0]
    response = bulk_delete(staff_client, spare, kept)
    assert refused(response, kept, bulk_delete)
    assert Page.objects.filter(pk=spare.pk).exists()  # all or nothing


def test_an_administrator_cannot_delete_a_course_with_records_in_bulk(tree):
    learner_with_completed_lesson(tree)
    client = Client()
    client.force_login(factories.make_superuser())
    assert refused(bulk_delete(client, tree.course), tree.course, bulk_delete)


def test_pages_without_records_are_deleted_in_bulk(tree, staff_client):
    learner_with_completed_lesson(tree)
    spare = factories.make_lesson(tree.modules[1])
    response = bulk_delete(staff_client, spare)
    assert response.status_code == 302
    assert not Page.objects.filter(pk=spare.pk).exists()
