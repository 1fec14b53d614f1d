"""The progress rules: enrolment, lesson and module completion, course completion."""

import pytest

from courses.models import Completion, Enrolment
from courses.progress import (
    CourseNotAvailable,
    NotEnrolled,
    StepLocked,
    StepNotAvailable,
    complete_lesson,
    enrol,
    get_progress,
)
from courses.signals import course_completed
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return factories.build_course(modules=2, lessons_per_module=2)


@pytest.fixture
def announcements():
    received = []

    def receiver(sender, enrolment, **kwargs):
        received.append(enrolment.pk)

    course_completed.connect(receiver)
    yield received
    course_completed.disconnect(receiver)


def finish(learner, lessons):
    for lesson in lessons:
        complete_lesson(learner=learner, lesson=lesson)


def test_enrolling_twice_keeps_one_enrolment(tree, learner):
    first, created = enrol(learner=learner, course=tree.course)
    second, created_again = enrol(learner=learner, course=tree.course)
    assert created and not created_again
    assert first.pk == second.pk
    assert Enrolment.objects.filter(learner=learner).count() == 1


def test_an_unpublished_course_takes_no_enrolments(tree, learner):
    tree.course.unpublish()
    with pytest.raises(CourseNotAvailable):
        enrol(learner=learner, course=tree.course)


def test_progress_is_never_recorded_without_enrolment(tree, learner):
    with pytest.raises(NotEnrolled):
        complete_lesson(learner=learner, lesson=tree.lessons[0])
    assert not Completion.objects.exists()


def test_progress_is_never_recorded_for_a_lesson_that_is_not_live(tree, learner):
    enrol(learner=learner, course=tree.course)
    lesson = tree.lessons[0]
    lesson.unpublish()
    lesson.refresh_from_db()
    with pytest.raises(StepNotAvailable):
        complete_lesson(learner=learner, lesson=lesson)
    assert not Completion.objects.exists()


def test_completing_a_lesson_twice_keeps_one_record_and_its_first_time(tree, learner):
    enrol(learner=learner, course=tree.course)
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    first = Completion.objects.get(page_id=tree.lessons[0].pk)
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    again = Completion.objects.get(page_id=tree.lessons[0].pk)
    assert again.completed_at == first.completed_at
    assert Completion.objects.filter(kind="lesson").count() == 1


def test_a_module_is_complete_when_all_its_live_lessons_are(tree, learner):
    enrol(learner=learner, course=tree.course)
    first_module = tree.modules[0]
    lessons = tree.lessons_of(first_module)
    complete_lesson(learner=learner, lesson=lessons[0])
    assert not Completion.objects.filter(page_id=first_module.pk).exists()
    progress = complete_lesson(learner=learner, lesson=lessons[1])
    assert progress.module_state(first_module.pk).done
    assert Completion.objects.filter(page_id=first_module.pk, kind="module").exists()
    assert not progress.module_state(tree.modules[1].pk).done


def test_an_unpublished_lesson_does_not_block_its_module(tree, learner):
    enrol(learner=learner, course=tree.course)
    first, second = tree.lessons_of(tree.modules[0])
    second.unpublish()
    progress = complete_lesson(learner=learner, lesson=first)
    assert progress.module_state(tree.modules[0].pk).done


def test_the_course_is_completed_once_with_its_time_recorded(
    tree, learner, announcements, django_capture_on_commit_callbacks
):
    enrol(learner=learner, course=tree.course)
    with django_capture_on_commit_callbacks(execute=True):
        finish(learner, tree.lessons)
    enrolment = Enrolment.objects.get(learner=learner)
    assert enrolment.completed_at is not None
    completed_at = enrolment.completed_at
    with django_capture_on_commit_callbacks(execute=True):
        finish(learner, tree.lessons)
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert announcements == [enrolment.pk]


def test_completion_is_announced_only_after_the_transaction_commits(
    tree, learner, announcements, django_capture_on_commit_callbacks
):
    enrol(learner=learner, course=tree.course)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        finish(learner, tree.lessons)
    assert announcements == []
    for callback in callbacks:  # the commit
        callback()
    assert len(announcements) == 1


def test_a_lesson_added_later_leaves_a_finished_learner_finished(tree, learner):
    finished, in_progress = learner, factories.make_user()
    for person in (finished, in_progress):
        enrol(learner=person, course=tree.course)
    finish(finished, tree.lessons)
    finish(in_progress, tree.lessons[:-1])
    late = factories.make_lesson(tree.modules[0], title="Новий урок")

    done = get_progress(learner=finished, course=tree.course)
    assert done.is_completed and done.percent == 100

    progress = complete_lesson(learner=in_progress, lesson=tree.lessons[-1])
    assert not progress.is_completed
    assert progress.next_step.page_id == late.pk
    progress = complete_lesson(learner=in_progress, lesson=late)
    assert progress.is_completed


def test_percent_next_step_and_resume_follow_the_learner(tree, learner):
    enrol(learner=learner, course=tree.course)
    progress = get_progress(learner=learner, course=tree.course)
    assert progress.percent == 0
    assert progress.next_step.page_id == tree.lessons[0].pk
    assert progress.resume_step.page_id == tree.lessons[0].pk

    complete_lesson(learner=learner, lesson=tree.lessons[0])
    complete_lesson(learner=learner, lesson=tree.lessons[2])
    progress = get_progress(learner=learner, course=tree.course)
    assert progress.percent == 50
    # Resuming opens the first step not done, whatever was done after it.
    assert progress.next_step.page_id == tree.lessons[1].pk
    assert progress.resume_step.page_id == tree.lessons[1].pk


def test_sequential_course_locks_a_module_until_the_previous_is_done(learner):
    tree = factories.build_course(modules=2, lessons_per_module=2, sequential=True)
    enrol(learner=learner, course=tree.course)
    first_lessons = tree.lessons_of(tree.modules[0])
    second_lessons = tree.lessons_of(tree.modules[1])

    progress = get_progress(learner=learner, course=tree.course)
    locked = progress.module_state(tree.modules[1].pk)
    assert locked.locked
    assert locked.unlocked_by.page_id == first_lessons[0].pk
    with pytest.raises(StepLocked):
        complete_lesson(learner=learner, lesson=second_lessons[0])

    complete_lesson(learner=learner, lesson=first_lessons[0])
    progress = get_progress(learner=learner, course=tree.course)
    assert progress.module_state(tree.modules[1].pk).unlocked_by.page_id == (
        first_lessons[1].pk
    )
    progress = complete_lesson(learner=learner, lesson=first_lessons[1])
    assert not progress.module_state(tree.modules[1].pk).locked
    complete_lesson(learner=learner, lesson=second_lessons[0])


def test_a_lesson_added_to_a_finished_module_does_not_lock_the_next_again(learner):
    tree = factories.build_course(modules=2, lessons_per_module=1, sequential=True)
    enrol(learner=learner, course=tree.course)
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    factories.make_lesson(tree.modules[0], title="Додатковий урок")
    progress = get_progress(learner=learner, course=tree.course)
    assert not progress.module_state(tree.modules[0].pk).done
    assert not progress.module_state(tree.modules[1].pk).locked


def test_progress_for_one_course_takes_at_most_three_queries(
    tree, learner, django_assert_max_num_queries
):
    enrol(learner=learner, course=tree.course)
    finish(learner, tree.lessons[:3])
    with django_assert_max_num_queries(3):
        progress = get_progress(learner=learner, course=tree.course)
    assert progress.required_done == 3


def test_one_learners_progress_never_shows_in_anothers(tree, learner):
    other = factories.make_user()
    for person in (learner, other):
        enrol(learner=person, course=tree.course)
    finish(learner, tree.lessons[:2])
    assert get_progress(learner=other, course=tree.course).required_done == 0
