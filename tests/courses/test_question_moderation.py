"""Questions go through the moderation workflow pages go through.

An editor's change is a draft until a moderator approves it: learners keep
getting the approved question (starting and submitting), a rejected change
leaves it as it was, any earlier version can be restored, a started attempt
is graded by its own snapshot, and a live question leaves the quiz only
through an approved withdrawal. Everything an editor does is in the audit
log under their name, and the quiz page shows where each question stands.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import QUESTION_TYPES, Question, QuizAttempt, SingleChoiceQuestion
from lms.roles import EDITORS, MODERATORS
from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Wagtail's own status words, in Wagtail's catalogue (an alias, so that
# makemessages does not copy them into the project's).
wagtail_label = gettext
OLD_TEXT = "Хто скликає громадські слухання?"
NEW_TEXT = "Хто скликає громадські слухання в громаді?"


# Helpers ----------------------------------------------------------------------


def staff_client(group: str):
    user = factories.make_user()
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user, MODEL_BACKEND)
    return user, client


def url(model, action: str, *args) -> str:
    return reverse(model.snippet_viewset.get_url_name(action), args=args)


def edit_form(question, *, text, options, action=None, withdrawn=False) -> dict:
    """The editor's form for a single-choice question: ``options`` are
    (text, correct) rows replacing the question's current ones."""
    current = list(question.get_latest_revision_as_object().options.all())
    rows = [
        {"id": str(option.pk), "text": option.text, "DELETE": "on", "ORDER": str(n)}
        for n, option in enumerate(current)
    ]
    rows += [
        {"text": text_, "is_correct": "on" if correct else "", "ORDER": str(n)}
        for n, (text_, correct) in enumerate(options, len(current))
    ]
    values = {
        "text": text,
        "points": str(question.points),
        "explanation": "",
        "options": inline_formset(rows, initial=len(current)),
    }
    if withdrawn:
        values["withdrawn"] = "on"
    if action:
        values[f"action-{action}"] = "1"
    return nested_form_data(values)


def revert_form(revision, action: str) -> dict:
    """The revert form as Wagtail fills it in with an earlier revision, sent."""
    earlier = revision.as_object()
    rows = [
        {"id": str(o.pk), "text": o.text, "is_correct": "on" if o.is_correct else "",
         "feedback": o.feedback, "ORDER": str(n)}
        for n, o in enumerate(earlier.options.all())
    ]  # fmt: skip
    values = {
        "text": earlier.text,
        "points": str(earlier.points),
        "explanation": earlier.explanation,
        "options": inline_formset(rows, initial=len(rows)),
        f"action-{action}": "1",
    }
    return nested_form_data(values)


def task_state_of(question):
    state = WorkflowState.objects.for_instance(question).get(
        status=WorkflowState.STATUS_IN_PROGRESS
    )
    return state.current_task_state


def workflow_action(client, question, action: str, **data):
    task_state = task_state_of(question)
    address = url(type(question), "workflow_action", question.pk, action, task_state.pk)
    return client.post(address, data)


@pytest.fixture
def course():
    return factories.build_course(modules=1, lessons_per_module=1)


@pytest.fixture
def quiz(course):
    return qf.make_quiz(course.modules[0], max_attempts=0)


@pytest.fixture
def question(quiz):
    return qf.add_single(
        quiz, text=OLD_TEXT, options=[("Голова", True), ("Староста", False)]
    )


@pytest.fixture
def learner(course):
    learner = qf.enrolled_learner(course.course)
    client = Client()
    client.force_login(learner)
    return client


def start(client, quiz) -> QuizAttempt:
    response = client.post(quiz.url + "start/")
    assert response.status_code == 302, response.content
    return QuizAttempt.objects.filter(quiz=quiz, status="in_progress").get()


def submit(client, quiz, attempt, answers: dict) -> QuizAttempt:
    data = {"action": "submit", "confirm": "1", **answers}
    response = client.post(quiz.url + f"attempt/{attempt.number}/", data)
    assert response.status_code in (200, 302)
    return QuizAttempt.objects.get(pk=attempt.pk)


def choose(attempt, option_text: str) -> dict:
    """The form field that picks the option with this text in the attempt."""
    (question,) = attempt.questions
    option = next(o for o in question["options"] if o["text"] == option_text)
    return {f"q-{question['key']}": str(option["id"])}


def options_drawn(attempt) -> list[tuple[str, bool]]:
    (question,) = attempt.questions
    return [(o["text"], o["correct"]) for o in question["options"]]


# Workflow set-up ----------------------------------------------------------------


def test_every_question_type_follows_the_pages_moderation_workflow(quiz):
    pages_workflow = quiz.get_workflow()  # the root page's, «Moderators approval»
    assert pages_workflow is not None
    for model in QUESTION_TYPES.values():
        assert model.get_default_workflow() == pages_workflow, model


# Edit → moderation → approval ----------------------------------------------------


def test_an_edited_question_reaches_learners_only_once_a_moderator_approves(
    quiz, question, learner
):
    editor, editor_client = staff_client(EDITORS)
    moderator, moderator_client = staff_client(MODERATORS)

    response = editor_client.post(
        url(SingleChoiceQuestion, "edit", question.pk),
        edit_form(
            question,
            text=NEW_TEXT,
            options=[("Голова", False), ("Секретар ради", True)],
            action="submit",
        ),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.workflow_in_progress
    assert question.text == OLD_TEXT  # the live row keeps the approved content

    # Learners start and submit against the approved version.
    before = start(learner, quiz)
    assert before.questions[0]["text"] == OLD_TEXT
    assert options_drawn(before) == [("Голова", True), ("Староста", False)]
    graded = submit(learner, quiz, before, choose(before, "Голова"))
    assert graded.passed and graded.score == Decimal("1.00")

    response = workflow_action(moderator_client, question, "approve")
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.live, question.has_unpublished_changes) == (
        NEW_TEXT,
        True,
        False,
    )
    assert not question.workflow_in_progress

    after = start(learner, quiz)
    assert after.questions[0]["text"] == NEW_TEXT
    assert options_drawn(after) == [("Голова", False), ("Секретар ради", True)]
    graded = submit(learner, quiz, after, choose(after, "Секретар ради"))
    assert graded.passed


def test_a_submitted_question_awaits_the_moderators_on_their_dashboard(question):
    _editor, editor_client = staff_client(EDITORS)
    _moderator, moderator_client = staff_client(MODERATORS)
    editor_client.post(
        url(SingleChoiceQuestion, "edit", question.pk),
        edit_form(
            question,
            text=NEW_TEXT,
            options=[("Голова", True), ("Староста", False)],
            action="submit",
        ),
    )

    dashboard = qf.page_text(moderator_client.get(reverse("wagtailadmin_home")))

    assert NEW_TEXT in dashboard
    assert url(SingleChoiceQuestion, "edit", question.pk) in dashboard


def test_a_rejected_change_leaves_learners_with_the_approved_question(
    quiz, question, learner
):
    _editor, editor_client = staff_client(EDITORS)
    _moderator, moderator_client = staff_client(MODERATORS)
    editor_client.post(
        url(SingleChoiceQuestion, "edit", question.pk),
        edit_form(
            question,
            text=NEW_TEXT,
            options=[("Ніхто", True), ("Староста", False)],
            action="submit",
        ),
    )

    response = workflow_action(
        moderator_client, question, "reject", comment="Відповідь неправильна."
    )

    assert response.status_code == 302
    state = WorkflowState.objects.for_instance(question).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    question.refresh_from_db()
    assert question.text == OLD_TEXT
    attempt = start(learner, quiz)
    assert attempt.questions[0]["text"] == OLD_TEXT
    assert options_drawn(attempt) == [("Голова", True), ("Староста", False)]
    # The editor still has the draft to correct and submit again.
    assert question.get_latest_revision_as_object().text == NEW_TEXT


def test_an_attempt_started_before_approval_is_graded_by_its_snapshot(
    quiz, question, learner
):
    _editor, editor_client = staff_client(EDITORS)
    _moderator, moderator_client = staff_client(MODERATORS)
    attempt = start(learner, quiz)
    editor_client.post(
        url(SingleChoiceQuestion, "edit", question.pk),
        edit_form(question, text=NEW_TEXT,
                  options=[("Голова", False), ("Староста", True)], action="submit"),
    )  # fmt: skip
    workflow_action(moderator_client, question, "approve")
    question.refresh_from_db()
    assert question.text == NEW_TEXT

    graded = submit(learner, quiz, attempt, choose(attempt, "Голова"))

    assert graded.questions[0]["text"] == OLD_TEXT
    assert graded.passed and graded.score == Decimal("1.00")


def test_a_new_question_by_an_editor_is_not_asked_until_approved(
    quiz, question, learner
):
    _editor, editor_client = staff_client(EDITORS)
    _moderator, moderator_client = staff_client(MODERATORS)
    data = nested_form_data(
        {
            "quiz": str(quiz.pk),
            "sort_order": "5",
            "text": "Нове питання?",
            "points": "1",
            "explanation": "",
            "correct_answer": "on",
            "action-submit": "1",
        }
    )

    response = editor_client.post(url(QUESTION_TYPES["truefalse"], "add"), data)

    assert response.status_code == 302
    new = Question.objects.get(text="Нове питання?")
    assert not new.live and new.workflow_in_progress
    assert [q["text"] for q in start(learner, quiz).questions] == [OLD_TEXT]
    workflow_action(moderator_client, new, "approve")
    QuizAttempt.objects.update(status="submitted")  # done with the first attempt
    asked = {q["text"] for q in start(learner, quiz).questions}
    assert asked == {OLD_TEXT, "Нове питання?"}


# History and rollback --------------------------------------------------------------


def test_a_moderator_restores_an_earlier_version_from_the_history(
    quiz, question, learner
):
    _moderator, moderator_client = staff_client(MODERATORS)
    first_revision = question.live_revision
    moderator_client.post(
        url(SingleChoiceQuestion, "edit", question.pk),
        edit_form(question, text=NEW_TEXT,
                  options=[("Голова", False), ("Староста", True)], action="publish"),
    )  # fmt: skip
    question.refresh_from_db()
    assert question.text == NEW_TEXT
    history = moderator_client.get(url(SingleChoiceQuestion, "history", question.pk))
    assert history.status_code == 200

    revert = url(
        SingleChoiceQuestion, "revisions_revert", question.pk, first_revision.pk
    )
    form = moderator_client.get(revert)
    assert form.status_code == 200
    assert OLD_TEXT in form.content.decode()
    # The revert form is filled in with the earlier version; publishing it:
    response = moderator_client.post(revert, revert_form(first_revision, "publish"))

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == OLD_TEXT
    assert (
        ModelLogEntry.objects.for_instance(question)
        .filter(action="wagtail.revert")
        .exists()
    )
    attempt = start(learner, quiz)
    assert attempt.questions[0]["text"] == OLD_TEXT
    assert options_drawn(attempt) == [("Голова", True), ("Староста", False)]


def test_a_revision_keeps_the_options_with_the_question(question):
    content = question.latest_revision.content
    assert [(o["text"], o["is_correct"]) for o in content["options"]] == [
        ("Голова", True),
        ("Староста", False),
    ]
    matching = qf.add_matching(question.quiz)
    assert len(matching.latest_revision.content["pairs"]) == 3


# Deletion --------------------------------------------------------------------


def test_an_editor_cannot_remove_a_live_question_without_approval(
    quiz, question, learner
):
    _editor, editor_client = staff_client(EDITORS)
    _moderator, moderator_client = staff_client(MODERATORS)
    keeper = qf.add_truefalse(quiz, text="Це питання лишається?")

    response = editor_client.post(url(SingleChoiceQuestion, "delete", question.pk))
    assert response.status_code == 302
    assert Question.objects.filter(pk=question.pk).exists()

    # The way offered instead: withdraw it, through moderation.
    editor_client.post(
        url(SingleChoiceQuestion, "edit", question.pk),
        edit_form(question, text=OLD_TEXT,
                  options=[("Голова", True), ("Староста", False)],
                  withdrawn=True, action="submit"),
    )  # fmt: skip
    texts = {q["text"] for q in start(learner, quiz).questions}
    assert texts == {OLD_TEXT, keeper.text}

    workflow_action(moderator_client, question, "approve")
    QuizAttempt.objects.update(status="submitted")
    assert [q["text"] for q in start(learner, quiz).questions] == [keeper.text]
    question.refresh_from_db()
    assert question.withdrawn and question.live  # kept, with its history


def test_bulk_deletion_by_an_editor_skips_live_questions(quiz, question):
    _editor, editor_client = staff_client(EDITORS)
    draft = qf.add_single(quiz, text="Чернетка, яку можна видалити")
    Question.objects.filter(pk=draft.pk).update(live=False)
    bulk = reverse(
        "wagtail_bulk_action", args=["courses", "singlechoicequestion", "delete"]
    )

    response = editor_client.post(f"{bulk}?id={question.pk}&id={draft.pk}")

    assert response.status_code == 302
    assert Question.objects.filter(pk=question.pk).exists()
    assert not Question.objects.filter(pk=draft.pk).exists()


# Preview ------------------------------------------------------------------------


def test_an_editor_previews_a_draft_as_the_learner_will_see_it(question):
    _editor, editor_client = staff_client(EDITORS)
    preview = url(SingleChoiceQuestion, "preview_on_edit", question.pk)
    data = edit_form(question, text=NEW_TEXT,
                     options=[("Голова", False), ("Секретар ради", True)])  # fmt: skip

    assert editor_client.post(preview, data).json()["is_valid"] is True
    learner_view = qf.page_text(editor_client.get(preview))
    answers_view = qf.page_text(editor_client.get(preview, {"mode": "answers"}))

    assert NEW_TEXT in learner_view and "Секретар ради" in learner_view
    assert qf.tr("The right answer") not in learner_view
    assert 'name="q-' in learner_view
    assert qf.tr("The right answer") in answers_view
    question.refresh_from_db()
    assert question.text == OLD_TEXT  # previewing saves nothing


# Audit log --------------------------------------------------------------------


def test_the_audit_log_records_who_changed_a_question(question):
    editor, editor_client = staff_client(EDITORS)
    moderator, moderator_client = staff_client(MODERATORS)
    editor_client.post(
        url(SingleChoiceQuestion, "edit", question.pk),
        edit_form(question, text=NEW_TEXT,
                  options=[("Голова", True), ("Староста", False)], action="submit"),
    )  # fmt: skip
    workflow_action(moderator_client, question, "approve")

    entries = ModelLogEntry.objects.for_instance(question)
    edit = entries.get(action="wagtail.edit")
    assert edit.user == editor
    assert edit.revision.content["text"] == NEW_TEXT
    assert entries.filter(action="wagtail.workflow.start", user=editor).exists()
    assert entries.filter(action="wagtail.publish", user=moderator).exists()
    history = moderator_client.get(url(SingleChoiceQuestion, "history", question.pk))
    assert editor.get_full_name() in qf.page_text(history)


# The quiz page shows where each question stands ------------------------------------


def test_the_quiz_page_editor_shows_which_questions_await_approval(quiz, question):
    editor, editor_client = staff_client(EDITORS)
    settled = qf.add_truefalse(quiz, text="Затверджене питання?")
    editor_client.post(
        url(SingleChoiceQuestion, "edit", question.pk),
        edit_form(question, text=NEW_TEXT,
                  options=[("Голова", True), ("Староста", False)], action="submit"),
    )  # fmt: skip
    locked = qf.add_numeric(quiz, text="Скільки днів?")
    assert editor_client.post(url(type(locked), "lock", locked.pk)).status_code == 302

    page = qf.page_text(editor_client.get(f"/admin/pages/{quiz.pk}/edit/"))

    items = page.split('class="quiz-questions"')[1].split("</ol>")[0].split("<li>")[1:]
    by_text = {next(t for t in (OLD_TEXT, settled.text, locked.text) if t in item): item
               for item in items}  # fmt: skip
    assert wagtail_label("live + in moderation") in by_text[OLD_TEXT]
    assert NEW_TEXT in by_text[OLD_TEXT]  # the draft's text beside the live one
    assert wagtail_label("live") in by_text[settled.text]
    assert wagtail_label("in moderation") not in by_text[settled.text]
    assert qf.tr("locked") in by_text[locked.text]
    assert (
        qf.trn(
            "%(counter)s question has changes that learners do not get until they are "
            "approved.",
            "%(counter)s questions have changes that learners do not get until they "
            "are approved.",
            1,
        )
        in page
    )
