"""A quiz moves and copies as a whole, its questions with it.

A copy published at once (by someone who may publish) gets live copies of
the approved questions; any other copy gets drafts awaiting approval, as
the copied pages themselves are. Copies are rows of their own: changing one
changes nothing in the other.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import ModelLogEntry

from courses.models import (
    AnswerOption,
    MatchingPair,
    Question,
    QuizPage,
    SingleChoiceQuestion,
)
from lms.roles import EDITORS, MODERATORS
from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def tree():
    return factories.build_course(modules=1, lessons_per_module=1)


@pytest.fixture
def quiz(tree):
    quiz = qf.make_quiz(tree.modules[0], title="Тест модуля", slug="module-test")
    qf.add_single(quiz, text="Хто скликає слухання?",
                  options=[("Голова", True), ("Староста", False, "Ні.")])  # fmt: skip
    qf.add_matching(quiz, text="Поєднайте")
    qf.add_truefalse(quiz, text="Петиція — це звернення?")
    return quiz


def staff(group: str):
    user = factories.make_user()
    user.groups.add(Group.objects.get(name=group))
    return user


def content(quiz) -> list[tuple]:
    """What a quiz asks, in order, without ids."""
    rows = []
    for question in Question.objects.filter(quiz=quiz).order_by("sort_order", "pk"):
        parts = [(o.text, o.is_correct, o.feedback) for o in question.options.all()]
        if hasattr(question, "pairs"):
            parts += [(p.left, p.right) for p in question.pairs.all()]
        rows.append((type(question).__name__, question.text, question.live, parts))
    return rows


def snapshot_texts(quiz) -> list[str]:
    return sorted(q["text"] for q in quiz.draw_questions())


# Copying a quiz -----------------------------------------------------------------


def test_a_published_copy_of_a_quiz_gets_live_copies_of_its_questions(quiz, tree):
    moderator = staff(MODERATORS)

    copy = quiz.copy(
        update_attrs={"title": "Копія тесту", "slug": "module-test-copy"},
        keep_live=True,
        user=moderator,
    )

    copy = QuizPage.objects.get(pk=copy.pk)
    assert copy.live
    assert content(copy) == content(quiz)
    assert snapshot_texts(copy) == snapshot_texts(quiz)
    originals = set(Question.objects.filter(quiz=quiz).values_list("pk", flat=True))
    copies = set(Question.objects.filter(quiz=copy).values_list("pk", flat=True))
    assert len(copies) == 3 and not originals & copies
    assert (
        not AnswerOption.objects.filter(question__quiz=copy)
        .filter(pk__in=AnswerOption.objects.filter(question__quiz=quiz).values("pk"))
        .exists()
    )
    # Each copy has a history of its own, starting with the person who copied.
    for question in Question.objects.filter(quiz=copy):
        assert question.live_revision is not None
        assert question.live_revision.content["quiz"] == copy.pk
        entries = ModelLogEntry.objects.for_instance(question)
        assert entries.filter(action="wagtail.publish", user=moderator).exists()


def test_copies_are_independent_of_the_originals(quiz):
    copy = quiz.copy(update_attrs={"title": "Копія", "slug": "copy"}, keep_live=True)
    copied = SingleChoiceQuestion.objects.get(quiz=copy)
    original = SingleChoiceQuestion.objects.get(quiz=quiz)
    before = content(quiz)

    draft = copied.get_latest_revision_as_object()
    draft.text = "Змінене в копії"
    draft.options = [AnswerOption(text="Секретар", is_correct=True),
                     AnswerOption(text="Голова")]  # fmt: skip
    draft.save_revision().publish()
    original.delete()

    assert "Змінене в копії" in snapshot_texts(copy)
    assert content(quiz) == [row for row in before if row[1] != original.text]
    assert MatchingPair.objects.filter(question__quiz=copy).count() == 3
    assert MatchingPair.objects.filter(question__quiz=quiz).count() == 3


def test_a_draft_copy_gets_draft_questions_that_await_approval(quiz):
    editor = staff(EDITORS)

    copy = quiz.copy(
        update_attrs={"title": "Чернетка", "slug": "draft-copy"},
        keep_live=False,
        user=editor,
    )

    copy = QuizPage.objects.get(pk=copy.pk)
    assert not copy.live
    questions = list(Question.objects.filter(quiz=copy))
    assert len(questions) == 3
    assert not any(question.live for question in questions)
    assert copy.draw_questions() == []
    assert [row[1:2] + row[3:] for row in content(copy)] == [
        row[1:2] + row[3:] for row in content(quiz)
    ]
    # The editor who copied submits them like any new question.
    assert all(question.get_workflow() is not None for question in questions)
    assert all(
        ModelLogEntry.objects.for_instance(q).get(action="wagtail.create").user
        == editor
        for q in questions
    )
    assert snapshot_texts(quiz) == sorted(row[1] for row in content(quiz))


def test_a_draft_question_stays_a_draft_in_a_published_copy(quiz):
    draft = qf.add_truefalse(quiz, text="Ще не затверджене?")
    Question.objects.filter(pk=draft.pk).update(live=False)

    copy = quiz.copy(update_attrs={"title": "Копія", "slug": "copy"}, keep_live=True)

    live = {q.text: q.live for q in Question.objects.filter(quiz=copy)}
    assert live["Ще не затверджене?"] is False
    assert live["Хто скликає слухання?"] is True


def test_pending_changes_are_not_published_by_a_copy(quiz):
    question = SingleChoiceQuestion.objects.get(quiz=quiz)
    draft = question.get_latest_revision_as_object()
    draft.text = "Не затверджена зміна"
    draft.save_revision()

    copy = quiz.copy(update_attrs={"title": "Копія", "slug": "copy"}, keep_live=True)

    assert "Не затверджена зміна" not in snapshot_texts(copy)
    assert "Хто скликає слухання?" in snapshot_texts(copy)


def test_the_admin_copy_view_copies_the_questions(quiz, tree):
    moderator = staff(MODERATORS)
    client = Client()
    client.force_login(moderator, MODEL_BACKEND)

    response = client.post(
        f"/admin/pages/{quiz.pk}/copy/",
        {
            "new_title": "Копія з адмінки",
            "new_slug": "admin-copy",
            "new_parent_page": str(tree.modules[0].pk),
            "publish_copies": "on",
        },
    )

    assert response.status_code == 302
    copy = QuizPage.objects.get(slug="admin-copy")
    assert copy.live
    assert snapshot_texts(copy) == snapshot_texts(quiz)


# Modules ------------------------------------------------------------------------


def test_copying_a_module_copies_its_quiz_with_the_questions(quiz, tree):
    module = tree.modules[0]

    module_copy = module.copy(
        recursive=True,
        to=tree.course,
        update_attrs={"title": "Копія модуля", "slug": "module-copy"},
    )

    quiz_copy = QuizPage.objects.child_of(module_copy).get()
    assert quiz_copy.pk != quiz.pk
    assert content(quiz_copy) == content(quiz)
    assert snapshot_texts(quiz_copy) == snapshot_texts(quiz)
    assert Question.objects.filter(quiz=quiz).count() == 3


def test_moving_a_module_keeps_its_quiz_questions(quiz, tree):
    other_course = factories.build_course(modules=1, lessons_per_module=1).course
    before = content(quiz)

    tree.modules[0].move(other_course, pos="last-child")

    quiz = QuizPage.objects.get(pk=quiz.pk)
    assert quiz.get_parent().get_parent().pk == other_course.pk
    assert content(quiz) == before
    assert len(quiz.draw_questions()) == 3
