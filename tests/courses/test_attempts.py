"""The attempt lifecycle: limits, waiting, drawing, snapshots, deadline, sweep."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import (
    AnswerOption,
    Completion,
    Enrolment,
    QuestionResult,
    QuizAttempt,
    QuizPage,
    ShortTextQuestion,
    SingleChoiceQuestion,
)
from courses.progress import NotEnrolled, complete_lesson, enrol, get_progress
from courses.quizzes.attempts import (
    AnswersRejected,
    AttemptClosed,
    AttemptLimitReached,
    Detail,
    MustWait,
    QuizNotAvailable,
    close_overdue_attempts,
    public_questions,
    review_detail,
    save_answers,
    start_attempt,
    submit_attempt,
)
from courses.quizzes.selectors import quiz_standing
from tests import factories

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")


def make_quiz(parent, questions=3, **settings):
    """A published quiz of single-choice questions; option «так» is correct."""
    values = {"title": "Перевірка знань", "max_attempts": 3, **settings}
    quiz = factories.add_page(parent, QuizPage(**values))
    for number in range(questions):
        question = SingleChoiceQuestion.objects.create(
            quiz=quiz, text=f"Питання {number + 1}", sort_order=number
        )
        AnswerOption.objects.create(question=question, text="так", is_correct=True)
        AnswerOption.objects.create(question=question, text="ні", is_correct=False)
    return quiz


def right_answers(attempt):
    return {
        q["key"]: str(next(o["id"] for o in q["options"] if o["correct"]))
        for q in attempt.questions
    }


def wrong_answers(attempt):
    return {
        q["key"]: str(next(o["id"] for o in q["options"] if not o["correct"]))
        for q in attempt.questions
    }


@pytest.fixture
def setup():
    tree = factories.build_course(modules=1, lessons_per_module=1)
    learner = factories.make_user()
    enrol(learner=learner, course=tree.course)
    quiz = make_quiz(tree.modules[0])
    return tree, learner, quiz


def test_only_enrolled_learners_start_attempts(setup):
    _tree, _learner, quiz = setup
    with pytest.raises(NotEnrolled):
        start_attempt(learner=factories.make_user(), quiz=quiz)


def test_starting_again_returns_the_open_attempt(setup):
    _tree, learner, quiz = setup
    first = start_attempt(learner=learner, quiz=quiz)
    again = start_attempt(learner=learner, quiz=quiz)
    assert first.pk == again.pk
    assert QuizAttempt.objects.count() == 1


def test_the_attempt_limit_holds(setup):
    _tree, learner, quiz = setup
    for number in (1, 2, 3):
        attempt = start_attempt(learner=learner, quiz=quiz)
        assert attempt.number == number
        submit_attempt(attempt_id=attempt.pk, learner=learner, raw={})
    with pytest.raises(AttemptLimitReached):
        start_attempt(learner=learner, quiz=quiz)


def test_unlimited_attempts_when_the_maximum_is_zero(setup):
    tree, learner, _quiz = setup
    quiz = make_quiz(tree.modules[0], max_attempts=0, title="Без обмежень")
    for _ in range(5):
        attempt = start_attempt(learner=learner, quiz=quiz)
        submit_attempt(attempt_id=attempt.pk, learner=learner, raw={})
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 5


def test_waiting_time_between_attempts_is_enforced(setup):
    tree, learner, _quiz = setup
    quiz = make_quiz(tree.modules[0], wait_minutes=60, title="З очікуванням")
    start = datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)
    attempt = start_attempt(learner=learner, quiz=quiz, now=start)
    submit_attempt(attempt_id=attempt.pk, learner=learner, raw={}, now=start)
    with pytest.raises(MustWait) as waited:
        start_attempt(learner=learner, quiz=quiz, now=start + timedelta(minutes=59))
    assert waited.value.until == start + timedelta(minutes=60)
    later = start_attempt(learner=learner, quiz=quiz, now=start + timedelta(minutes=60))
    assert later.number == 2


def test_a_quiz_without_questions_cannot_start(setup):
    tree, learner, _quiz = setup
    empty = make_quiz(tree.modules[0], questions=0, title="Порожній")
    with pytest.raises(QuizNotAvailable):
        start_attempt(learner=learner, quiz=empty)


def test_draw_count_picks_that_many_distinct_questions(setup):
    tree, learner, _quiz = setup
    quiz = make_quiz(tree.modules[0], questions=10, draw_count=4, title="Вибірка")
    attempt = start_attempt(learner=learner, quiz=quiz)
    ids = [q["question_id"] for q in attempt.questions]
    assert len(ids) == len(set(ids)) == 4
    assert attempt.max_score == Decimal(4)


def test_passing_a_required_quiz_completes_its_step_and_module(setup):
    tree, learner, quiz = setup
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    progress = get_progress(learner=learner, course=tree.course)
    assert not progress.is_completed  # the quiz is still to pass
    attempt = start_attempt(learner=learner, quiz=quiz)
    result = submit_attempt(
        attempt_id=attempt.pk, learner=learner, raw=right_answers(attempt)
    )
    assert result.passed and result.percent == Decimal(100)
    assert Completion.objects.filter(learner=learner, page_id=quiz.pk).exists()
    assert Enrolment.objects.get(learner=learner).completed_at is not None


def test_a_failed_attempt_does_not_complete_and_a_later_pass_does(setup):
    tree, learner, quiz = setup
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    first = start_attempt(learner=learner, quiz=quiz)
    failed = submit_attempt(
        attempt_id=first.pk, learner=learner, raw=wrong_answers(first)
    )
    assert failed.passed is False and failed.score == 0
    assert not Completion.objects.filter(page_id=quiz.pk).exists()
    second = start_attempt(learner=learner, quiz=quiz)
    submit_attempt(attempt_id=second.pk, learner=learner, raw=right_answers(second))
    assert Completion.objects.filter(page_id=quiz.pk).exists()


def test_an_optional_quiz_does_not_hold_back_the_module(setup):
    tree, learner, quiz = setup
    quiz.required = False
    quiz.save_revision().publish()
    progress = complete_lesson(learner=learner, lesson=tree.lessons[0])
    assert progress.is_completed


def test_submitting_twice_grades_once_and_returns_the_same_result(setup):
    _tree, learner, quiz = setup
    attempt = start_attempt(learner=learner, quiz=quiz)
    first = submit_attempt(
        attempt_id=attempt.pk, learner=learner, raw=right_answers(attempt)
    )
    second = submit_attempt(
        attempt_id=attempt.pk, learner=learner, raw=wrong_answers(attempt)
    )
    assert (second.score, second.closed_at) == (first.score, first.closed_at)
    assert QuestionResult.objects.filter(attempt=attempt).count() == 3


def test_a_closed_attempt_accepts_no_more_answers(setup):
    _tree, learner, quiz = setup
    attempt = start_attempt(learner=learner, quiz=quiz)
    submit_attempt(attempt_id=attempt.pk, learner=learner, raw={})
    with pytest.raises(AttemptClosed):
        save_answers(attempt_id=attempt.pk, learner=learner, raw=right_answers(attempt))


def test_answers_to_questions_outside_the_attempt_are_rejected_and_nothing_saved(
    setup,
):
    _tree, learner, quiz = setup
    attempt = start_attempt(learner=learner, quiz=quiz)
    good = right_answers(attempt)
    with pytest.raises(AnswersRejected) as rejected:
        save_answers(
            attempt_id=attempt.pk, learner=learner, raw={**good, "q999999": "1"}
        )
    assert "q999999" in rejected.value.errors
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_another_learner_cannot_touch_an_attempt(setup):
    _tree, learner, quiz = setup
    attempt = start_attempt(learner=learner, quiz=quiz)
    from courses.quizzes.attempts import AttemptNotFound

    other = factories.make_user()
    with pytest.raises(AttemptNotFound):
        save_answers(attempt_id=attempt.pk, learner=other, raw={})
    with pytest.raises(AttemptNotFound):
        submit_attempt(attempt_id=attempt.pk, learner=other, raw={})


def test_the_snapshot_keeps_content_and_score_after_questions_change(setup):
    _tree, learner, quiz = setup
    attempt = start_attempt(learner=learner, quiz=quiz)
    result = submit_attempt(
        attempt_id=attempt.pk, learner=learner, raw=right_answers(attempt)
    )
    snapshot = result.questions
    first, second, *_ = SingleChoiceQuestion.objects.filter(quiz=quiz)
    first.text = "Зовсім інше питання"
    first.save()
    first.options.update(is_correct=False)
    second.delete()
    result.refresh_from_db()
    assert result.questions == snapshot
    assert result.questions[0]["text"] == "Питання 1"
    assert result.score == Decimal(3)
    rows = QuestionResult.objects.filter(attempt=result)
    assert rows.count() == 3
    assert rows.filter(question__isnull=True).count() == 1  # deleted, text kept
    assert rows.filter(question_text="Питання 2").exists()


def test_grading_uses_the_snapshot_even_if_the_question_changes_mid_attempt(setup):
    _tree, learner, quiz = setup
    attempt = start_attempt(learner=learner, quiz=quiz)
    answers = right_answers(attempt)
    for question in SingleChoiceQuestion.objects.filter(quiz=quiz):
        question.options.update(is_correct=False)
    result = submit_attempt(attempt_id=attempt.pk, learner=learner, raw=answers)
    assert result.passed


def test_public_questions_carry_no_answers(setup):
    tree, learner, _quiz = setup
    quiz = make_quiz(tree.modules[0], questions=0, title="Текстовий")
    ShortTextQuestion.objects.create(
        quiz=quiz,
        text="Назвіть документ",
        accepted_answers="статут громади",
        explanation="Пояснення-секрет",
    )
    attempt = start_attempt(learner=learner, quiz=quiz)
    public = repr(public_questions(attempt))
    assert "статут громади" not in public
    assert "Пояснення-секрет" not in public
    assert "accepted" not in public


def test_deadline_is_stored_and_late_answers_are_not_scored(setup):
    tree, learner, _quiz = setup
    quiz = make_quiz(tree.modules[0], time_limit_minutes=10, title="На час")
    start = datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)
    attempt = start_attempt(learner=learner, quiz=quiz, now=start)
    assert attempt.deadline == start + timedelta(minutes=10)
    answers = right_answers(attempt)
    first_key = next(iter(answers))
    save_answers(
        attempt_id=attempt.pk,
        learner=learner,
        raw={first_key: answers[first_key]},
        now=start + timedelta(minutes=9, seconds=59),
    )
    late = start + timedelta(minutes=10, seconds=31)
    result = submit_attempt(
        attempt_id=attempt.pk, learner=learner, raw=answers, now=late
    )
    assert result.status == QuizAttempt.Status.TIMED_OUT
    assert result.late_answers_ignored
    assert result.score == Decimal(1)  # only the answer saved in time


def test_a_submit_within_the_grace_period_is_scored(setup, settings):
    tree, learner, _quiz = setup
    assert settings.QUIZ_GRACE_SECONDS == 30
    quiz = make_quiz(tree.modules[0], time_limit_minutes=10, title="На час")
    start = datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)
    attempt = start_attempt(learner=learner, quiz=quiz, now=start)
    inside = start + timedelta(minutes=10, seconds=30)
    result = submit_attempt(
        attempt_id=attempt.pk, learner=learner, raw=right_answers(attempt), now=inside
    )
    assert result.status == QuizAttempt.Status.SUBMITTED
    assert result.score == Decimal(3)


def test_the_sweep_closes_overdue_attempts_once_with_saved_answers(setup):
    tree, learner, _quiz = setup
    quiz = make_quiz(tree.modules[0], time_limit_minutes=5, title="Швидкий")
    other = factories.make_user()
    enrol(learner=other, course=tree.course)
    start = datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)
    overdue = start_attempt(learner=learner, quiz=quiz, now=start)
    save_answers(
        attempt_id=overdue.pk,
        learner=learner,
        raw=right_answers(overdue),
        now=start + timedelta(minutes=1),
    )
    fresh = start_attempt(learner=other, quiz=quiz, now=start + timedelta(minutes=1))
    sweep_at = start + timedelta(minutes=6)  # past the first's grace only
    assert close_overdue_attempts(now=sweep_at) == 1
    assert close_overdue_attempts(now=sweep_at) == 0
    overdue.refresh_from_db()
    fresh.refresh_from_db()
    assert overdue.status == QuizAttempt.Status.TIMED_OUT
    assert overdue.score == Decimal(3) and overdue.passed
    assert fresh.is_open


def test_a_deadline_across_the_daylight_saving_change_is_real_minutes(setup):
    tree, learner, _quiz = setup
    quiz = make_quiz(tree.modules[0], time_limit_minutes=90, title="Через зміну часу")
    # 2026-10-25: clocks in Kyiv go back from 04:00 to 03:00.
    start = datetime(2026, 10, 25, 2, 45, tzinfo=KYIV)
    with time_machine.travel(start, tick=False):
        attempt = start_attempt(learner=learner, quiz=quiz)
    assert (attempt.deadline - attempt.started_at) == timedelta(minutes=90)
    assert attempt.deadline.timestamp() - start.timestamp() == 90 * 60


def closed(number, *, passed=False):
    return QuizAttempt(number=number, status="submitted", passed=passed)


def opened(number):
    return QuizAttempt(number=number, status="in_progress")


@pytest.mark.parametrize(
    ("policy", "passed", "used", "expected"),
    [
        ("never", True, 3, Detail.GIVEN),
        ("after_each", False, 1, Detail.FULL),
        ("after_pass", False, 1, Detail.GIVEN),
        ("after_pass", True, 1, Detail.FULL),
        ("after_last", False, 2, Detail.GIVEN),
        ("after_last", False, 3, Detail.FULL),
    ],
)
def test_correct_answers_are_shown_only_as_the_policy_allows(
    setup, policy, passed, used, expected
):
    _tree, _learner, quiz = setup
    quiz.answers_shown = policy
    attempts = [closed(n) for n in range(1, used)] + [closed(used, passed=passed)]
    detail = review_detail(attempt=attempts[-1], quiz=quiz, attempts=attempts)
    assert detail == expected


@pytest.mark.parametrize("policy", ["never", "after_each", "after_pass", "after_last"])
def test_while_any_attempt_is_open_a_result_shows_the_score_only(setup, policy):
    # The probe: fail attempts 1 and 2, start 3, open the result of 1 — it
    # showed every correct answer while attempt 3 could still be submitted.
    _tree, _learner, quiz = setup
    quiz.answers_shown, quiz.marks_after_each_attempt = policy, True
    attempts = [closed(1, passed=True), closed(2), opened(3)]
    for attempt in attempts:
        detail = review_detail(attempt=attempt, quiz=quiz, attempts=attempts)
        assert detail == Detail.NONE


def test_marks_per_question_are_a_setting_of_their_own(setup):
    _tree, _learner, quiz = setup
    quiz.answers_shown = "after_last"
    attempts = [closed(1)]
    assert not quiz.marks_after_each_attempt  # hidden by default
    assert review_detail(attempt=attempts[0], quiz=quiz, attempts=attempts) == (
        Detail.GIVEN
    )
    quiz.marks_after_each_attempt = True
    assert review_detail(attempt=attempts[0], quiz=quiz, attempts=attempts) == (
        Detail.MARKS
    )


def test_a_very_long_attempt_writes_every_result_row_in_batches(setup):
    # More questions than one INSERT takes: the rows go in batches, all of
    # them, each linked to its question while the question exists.
    _tree, learner, quiz = setup
    attempt = start_attempt(learner=learner, quiz=quiz)
    model = attempt.questions[0]
    gone_id = model["question_id"] + 100_000  # never a live question
    questions = [
        {
            **model,
            "key": f"q-long-{n}",
            "question_id": model["question_id"] if n % 3 else gone_id,
        }
        for n in range(1201)
    ]
    attempt.questions = questions
    attempt.max_score = Decimal(len(questions))
    attempt.save(update_fields=["questions", "max_score"])
    result = submit_attempt(
        attempt_id=attempt.pk, learner=learner, raw=right_answers(attempt)
    )
    assert result.score == Decimal(1201)
    rows = QuestionResult.objects.filter(attempt=result)
    assert rows.count() == 1201
    assert rows.filter(correct=True, answered=True).count() == 1201
    assert rows.filter(question__isnull=True).count() == 401  # n % 3 == 0
    assert rows.filter(question_id=model["question_id"]).count() == 800


def test_the_sweep_closes_an_attempt_whose_quiz_left_the_learners_course(setup):
    tree, learner, _quiz = setup
    quiz = make_quiz(tree.modules[0], time_limit_minutes=5, title="Переміщений")
    start = datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)
    attempt = start_attempt(learner=learner, quiz=quiz, now=start)
    other = factories.build_course(modules=1, lessons_per_module=1)
    quiz.move(other.modules[0], pos="last-child")
    assert close_overdue_attempts(now=start + timedelta(minutes=10)) == 1
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.TIMED_OUT
    # The grade stands; nothing was recorded in a course the learner is not in.
    assert not Completion.objects.filter(learner=learner, page_id=quiz.pk).exists()


def test_the_quiz_page_and_the_service_agree_when_an_attempt_closed_late(setup):
    # The sweep closed the attempt an hour after its deadline: the waiting
    # time counts from the deadline for both the button and the service.
    tree, learner, _quiz = setup
    quiz = make_quiz(
        tree.modules[0], time_limit_minutes=5, wait_minutes=30, title="З очікуванням"
    )
    start = datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)
    start_attempt(learner=learner, quiz=quiz, now=start)
    close_overdue_attempts(now=start + timedelta(minutes=65))
    later = start + timedelta(minutes=70)  # the wait ended at deadline + 30 min
    standing = quiz_standing(learner=learner, quiz=quiz, now=later)
    assert standing.next_start_at is None and standing.may_start
    assert start_attempt(learner=learner, quiz=quiz, now=later).number == 2


def test_an_overdue_attempt_nobody_closed_yet_ended_at_its_deadline(setup):
    tree, learner, _quiz = setup
    quiz = make_quiz(
        tree.modules[0], time_limit_minutes=5, wait_minutes=30, title="Очікування"
    )
    start = datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)
    start_attempt(learner=learner, quiz=quiz, now=start)
    at = start + timedelta(minutes=20)  # overdue, not swept; 15 min since deadline
    standing = quiz_standing(learner=learner, quiz=quiz, now=at)
    assert standing.next_start_at == start + timedelta(minutes=35)
    with pytest.raises(MustWait) as refused:
        start_attempt(learner=learner, quiz=quiz, now=at)
    assert refused.value.until == standing.next_start_at
