"""Quiz attempts: start, save answers as they go, submit, grade, sweep.

The server owns time: the deadline is stored when an attempt starts, answers
arriving after it plus ``QUIZ_GRACE_SECONDS`` are not scored, and overdue
attempts are closed with their saved answers by ``close_overdue_attempts``.
Locks are always taken in the same order (enrolment, then attempt).
"""

import contextlib
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrolment
from courses.progress import (
    ProgressError,
    StepLocked,
    lock_enrolment,
    progress_of,
    record_quiz_pass,
)
from courses.quizzes.answers import AnswerError
from courses.quizzes.models import (
    QUESTION_TYPES,
    QuestionResult,
    QuestionTally,
    QuizAttempt,
    QuizPage,
)

CENT = Decimal("0.01")
# What closing an attempt writes.
CLOSING_FIELDS = (
    "answers", "answers_saved_at", "late_answers_ignored", "results", "score",
    "percent", "passed", "status", "closed_at",
)  # fmt: skip
# Keys of a question snapshot that may be shown while the attempt is open.
PUBLIC_KEYS = ("key", "type", "text", "points", "options", "left", "right", "items")
PUBLIC_OPTION_KEYS = ("id", "text")


class QuizError(Exception):
    """Base class; the message is shown to the learner."""


class QuizNotAvailable(QuizError):
    pass


class AttemptLimitReached(QuizError):
    pass


class MustWait(QuizError):
    def __init__(self, message: str, until: datetime):
        super().__init__(message)
        self.until = until


class AttemptNotFound(QuizError):
    pass


class AttemptClosed(QuizError):
    pass


class AnswersRejected(QuizError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Some answers could not be saved."))
        self.errors = errors


def grace() -> timedelta:
    return timedelta(seconds=settings.QUIZ_GRACE_SECONDS)


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + grace()


def public_questions(attempt: QuizAttempt) -> list[dict]:
    """The drawn questions without anything that gives an answer away."""
    result = []
    for question in attempt.questions:
        public = {key: question[key] for key in PUBLIC_KEYS if key in question}
        if "options" in public:
            public["options"] = [
                {key: option[key] for key in PUBLIC_OPTION_KEYS}
                for option in public["options"]
            ]
        result.append(public)
    return result


def _lock_enrolment(*, learner, quiz: QuizPage) -> Enrolment:
    return lock_enrolment(learner=learner, course=quiz.course)


def start_attempt(*, learner, quiz: QuizPage, now: datetime | None = None):
    """Starts a new attempt, or returns the one still open."""
    now = now or timezone.now()
    if not quiz.live:
        raise QuizNotAvailable(_("This quiz is not published."))
    with transaction.atomic():
        enrolment = _lock_enrolment(learner=learner, quiz=quiz)
        progress = progress_of(enrolment=enrolment, course=quiz.course)
        module = progress.module_state_of_step(quiz.pk)
        if module is None:
            raise QuizNotAvailable(_("This quiz is not part of the course."))
        if module.locked:
            raise StepLocked(_("Finish the previous module first."))
        attempts = list(QuizAttempt.objects.filter(learner=learner, quiz=quiz))
        for attempt in attempts:
            if attempt.is_open and not is_overdue(attempt, now):
                return attempt
            if attempt.is_open:
                _time_out(attempt, now=now, quiz=quiz, enrolment=enrolment)
        _check_may_start(quiz=quiz, attempts=attempts, now=now)
        questions = quiz.draw_questions()
        if not questions:
            raise QuizNotAvailable(_("This quiz has no questions yet."))
        limit = quiz.time_limit_minutes
        return QuizAttempt.objects.create(
            learner=learner,
            quiz=quiz,
            number=len(attempts) + 1,
            started_at=now,
            deadline=now + timedelta(minutes=limit) if limit else None,
            questions=questions,
            max_score=sum(Decimal(q["points"]) for q in questions),
            pass_mark=quiz.pass_mark,
        )


def _check_may_start(*, quiz: QuizPage, attempts: list, now: datetime) -> None:
    if quiz.max_attempts and len(attempts) >= quiz.max_attempts:
        raise AttemptLimitReached(_("You have used all attempts for this quiz."))
    until = next_attempt_opens_at(quiz=quiz, attempts=attempts, now=now)
    if until is not None:
        local = timezone.localtime(until).strftime("%d.%m.%Y %H:%M")
        raise MustWait(
            _("The next attempt opens at %(time)s.") % {"time": local}, until
        )


def ended_at(attempt, now: datetime) -> datetime | None:
    """When an attempt ended for the waiting time; None while it runs.

    An attempt closed late (by the sweep, or when the learner came back after
    the time was up) ended at its deadline, and so does an overdue attempt
    nobody has closed yet. Takes a ``QuizAttempt`` or an ``AttemptSummary``.
    """
    if attempt.closed_at is not None:
        if attempt.deadline is not None:
            return min(attempt.closed_at, attempt.deadline)
        return attempt.closed_at
    if is_overdue(attempt, now):
        return attempt.deadline
    return None


def next_attempt_opens_at(*, quiz: QuizPage, attempts, now: datetime):
    """The end of the waiting time after the last attempt, if still ahead."""
    if not quiz.wait_minutes:
        return None
    ends = [end for end in (ended_at(a, now) for a in attempts) if end is not None]
    if not ends:
        return None
    until = max(ends) + timedelta(minutes=quiz.wait_minutes)
    return until if until > now else None


def parse_answers(attempt: QuizAttempt, raw: dict) -> dict:
    """Checks every answer against the attempt's own questions; all or nothing."""
    by_key = {question["key"]: question for question in attempt.questions}
    parsed, errors = {}, {}
    for key, value in raw.items():
        question = by_key.get(key)
        if question is None:
            errors[key] = _("This question is not part of your attempt.")
            continue
        try:
            parsed[key] = QUESTION_TYPES[question["type"]].parse_answer(question, value)
        except AnswerError as error:
            errors[key] = str(error)
    if errors:
        raise AnswersRejected(errors)
    return parsed


def _locked_attempt(*, attempt_id: int, learner) -> QuizAttempt:
    attempt = QuizAttempt.objects.select_for_update().filter(
        pk=attempt_id, learner=learner
    )
    found = attempt.first()
    if found is None:
        raise AttemptNotFound(_("There is no such attempt."))
    return found


def save_answers(*, attempt_id: int, learner, raw: dict, now=None) -> QuizAttempt:
    """Stores answers given so far; refused once the attempt is closed."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id=attempt_id, learner=learner)
        if not attempt.is_open:
            raise AttemptClosed(_("This attempt is closed; answers cannot change."))
        if is_overdue(attempt, now):
            raise AttemptClosed(
                _("Time is up. The answers saved before the deadline will be graded.")
            )
        attempt.answers = {**attempt.answers, **parse_answers(attempt, raw)}
        attempt.answers_saved_at = now
        attempt.save(update_fields=["answers", "answers_saved_at"])
    return attempt


def submit_attempt(
    *, attempt_id: int, learner, raw=None, now=None, quiz: QuizPage | None = None
) -> QuizAttempt:
    """Grades the attempt once; a repeated submit returns the same result.

    ``quiz`` may be passed by a caller that has it, to save reading it again;
    the attempt must then belong to that quiz.
    """
    now = now or timezone.now()
    if quiz is None:
        peek = QuizAttempt.objects.filter(pk=attempt_id, learner=learner).first()
        if peek is None:
            raise AttemptNotFound(_("There is no such attempt."))
        quiz = QuizPage.objects.get(pk=peek.quiz_id)
    with transaction.atomic():
        enrolment = _lock_enrolment(learner=learner, quiz=quiz)
        attempt = (
            QuizAttempt.objects.select_for_update()
            .filter(pk=attempt_id, learner=learner, quiz=quiz)
            .first()
        )
        if attempt is None:
            raise AttemptNotFound(_("There is no such attempt."))
        _grade(attempt, raw, now=now, quiz=quiz, enrolment=enrolment)
    return attempt


def submit_numbered(
    *, learner, quiz: QuizPage, number: int, answers_from, now=None
) -> tuple[QuizAttempt, list[QuizAttempt]]:
    """As ``submit_attempt``, for the learner's attempt ``number`` at ``quiz``.

    ``answers_from(questions)`` turns the posted form into raw answers; it is
    given the attempt's questions as read under the lock, so the attempt is
    read once. Returns the attempt and all the learner's attempts at the quiz
    as they stand after it (oldest first, the graded one among them), which
    is what its result page shows.
    """
    now = now or timezone.now()
    with transaction.atomic():
        enrolment = _lock_enrolment(learner=learner, quiz=quiz)
        attempts = _locked_attempts(learner=learner, quiz=quiz)
        attempt = next((a for a in attempts if a.number == number), None)
        if attempt is None:
            raise AttemptNotFound(_("There is no such attempt."))
        if attempt.is_open:
            raw = answers_from(attempt.questions)
            _grade(attempt, raw, now=now, quiz=quiz, enrolment=enrolment)
    return attempt, attempts


def _locked_attempts(*, learner, quiz: QuizPage) -> list[QuizAttempt]:
    """The learner's attempts at ``quiz`` in one locked read, oldest first.

    One query whatever their number. Each brings its snapshot, which costs
    a little per attempt; reading the summaries and the one snapshot
    separately, or picking the one snapshot out in SQL, cost more for the
    usual handful of attempts (measured with bench/quiz_submit.py).
    """
    return list(
        QuizAttempt.objects.select_for_update()
        .filter(learner=learner, quiz=quiz)
        .order_by("number")
    )


def _grade(attempt: QuizAttempt, raw, *, now, quiz: QuizPage, enrolment: Enrolment):
    """Closes an open attempt with its answers (``raw`` from the learner, if
    any, on top of those saved); a closed attempt is left as it is."""
    if not attempt.is_open:
        return
    status = QuizAttempt.Status.SUBMITTED
    if is_overdue(attempt, now):
        status = QuizAttempt.Status.TIMED_OUT
        attempt.late_answers_ignored = bool(raw)
    elif raw:
        attempt.answers = {**attempt.answers, **parse_answers(attempt, raw)}
        attempt.answers_saved_at = now
    _close(attempt, now=now, status=status, quiz=quiz, enrolment=enrolment)


def _close(
    attempt: QuizAttempt, *, now, status, quiz: QuizPage, enrolment: Enrolment | None
):
    """Grades from the saved answers and closes.

    Inside the caller's transaction, which holds the lock on ``enrolment``
    (None only for the sweep, when the learner is no longer enrolled in the
    quiz's course: the grade stands, no course step is recorded).
    """
    results, rows, total = {}, [], Decimal(0)
    for question in attempt.questions:
        answer = attempt.answers.get(question["key"])
        answered = answer not in (None, "", [], {})
        fraction = (
            QUESTION_TYPES[question["type"]].score(question, answer)
            if answered
            else Decimal(0)
        )
        awarded = (Decimal(question["points"]) * fraction).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        total += awarded
        results[question["key"]] = {
            "awarded": str(awarded),
            "correct": fraction == 1,
            "answered": answered,
        }
        row = (question["question_id"], question["text"], answered, fraction == 1)
        rows.append((*row, awarded))
    percent = (
        (total * 100 / attempt.max_score).quantize(CENT, rounding=ROUND_HALF_UP)
        if attempt.max_score
        else Decimal(0)
    )
    attempt.results, attempt.score, attempt.percent = results, total, percent
    attempt.passed = percent >= attempt.pass_mark
    attempt.status, attempt.closed_at = status, now
    # The snapshot of the questions never changes: it is not written again.
    attempt.save(update_fields=CLOSING_FIELDS)
    _insert_question_results(attempt, rows)
    _add_to_tallies(attempt, rows)
    if attempt.passed and enrolment is not None:
        # The quiz may have left the course (unpublished) after the attempt
        # began: the grade stands, only the course step cannot be recorded.
        with contextlib.suppress(ProgressError):
            record_quiz_pass(enrolment=enrolment, quiz=quiz)


def _time_out(
    attempt: QuizAttempt, *, now, quiz: QuizPage, enrolment: Enrolment | None
):
    """Closes an overdue attempt with the answers it saved in time."""
    _close(
        attempt,
        now=now,
        status=QuizAttempt.Status.TIMED_OUT,
        quiz=quiz,
        enrolment=enrolment,
    )


def _insert_question_results(attempt: QuizAttempt, rows: list[tuple]) -> None:
    """Writes an attempt's per-question results in one statement (per 500).

    ``rows`` are (question id, text, answered, correct, points awarded). A
    question deleted since the draw keeps its result without the link: the
    subquery in each row gives NULL for it, in the same statement, so the
    check cannot go stale before the insert. ``bulk_create`` would build a
    model per question and need a query of its own for that check; for a
    30-question attempt this is about a millisecond less per submit
    (bench/quiz_submit.py). Table and column names come from the models.
    """

    if not rows:
        return
    quote = connection.ops.quote_name
    meta = QuestionResult._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in RESULT_COLUMNS)
    # Names are quoted identifiers from the models; every value is a parameter.
    row_sql = f"(%s, %s, {_live_question_sql()}, %s, %s, %s, %s)"
    with connection.cursor() as cursor:
        # Batches keep the parameters well under SQLite's and PostgreSQL's limits.
        for start in range(0, len(rows), RESULT_BATCH):
            batch = rows[start : start + RESULT_BATCH]
            params = []
            for row in batch:
                params += [attempt.pk, attempt.quiz_id, *row]
            values = ", ".join([row_sql] * len(batch))
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values}"  # noqa: S608
            cursor.execute(sql, params)


def _add_to_tallies(attempt: QuizAttempt, rows: list[tuple]) -> None:
    """Adds an attempt's results to its quiz's ``QuestionTally`` rows.

    ``rows`` as for ``_insert_question_results``. One statement per 500 rows
    inserts each (question, text) or adds to its counts (``ON CONFLICT … DO
    UPDATE``, on SQLite and PostgreSQL alike), so no count is lost between
    concurrent submits. The rows go in by question id: two submits of the
    same quiz lock the tallies they share in the same order and cannot
    deadlock. A question deleted since the draw gets NULL from the same
    subquery as its result row, hence a row of its own that never conflicts;
    the report adds such rows up by quiz and text.
    """
    counts: dict[tuple, list[int]] = {}
    for question_id, text, answered, correct, _awarded in rows:
        tally = counts.setdefault((question_id, text), [0, 0, 0])
        tally[0] += 1
        tally[1] += int(answered)
        tally[2] += int(correct)
    keyed = sorted(
        (question_id or 0, QuestionTally.digest(text), question_id, text, tally)
        for (question_id, text), tally in counts.items()
    )
    with connection.cursor() as cursor:
        for start in range(0, len(keyed), RESULT_BATCH):
            batch = keyed[start : start + RESULT_BATCH]
            params = []
            for _order, digest, question_id, text, tally in batch:
                params += [attempt.quiz_id, question_id, text, digest, *tally]
            cursor.execute(_tally_sql(len(batch)), params)


def _live_question_sql() -> str:
    """The question's id if it still exists, else NULL: a subquery for one value.

    On PostgreSQL it takes a key-share lock: if an editor is deleting the
    question at that moment, it waits for the deletion and then gives NULL,
    instead of linking a row that the deletion's commit leaves dangling (the
    submit would then fail on the foreign key at its own commit).
    """
    from courses.quizzes.models import Question

    quote = connection.ops.quote_name
    question_pk = quote(Question._meta.pk.column)
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    return (
        f"(SELECT {question_pk} FROM {quote(Question._meta.db_table)} "  # noqa: S608
        f"WHERE {question_pk} = %s{lock})"
    )


def _tally_sql(count: int) -> str:
    """The upsert of ``count`` tallies; names quoted from the models."""

    quote = connection.ops.quote_name
    meta = QuestionTally._meta
    table = quote(meta.db_table)
    column = {name: quote(meta.get_field(name).column) for name in TALLY_COLUMNS}
    values = ", ".join([f"(%s, {_live_question_sql()}, %s, %s, %s, %s, %s)"] * count)
    key = ", ".join(column[name] for name in ("quiz", "question", "text_digest"))
    add = ", ".join(
        f"{column[name]} = {table}.{column[name]} + excluded.{column[name]}"
        for name in ("drawn", "answered", "correct")
    )
    return (
        f"INSERT INTO {table} ({', '.join(column.values())}) "  # noqa: S608
        f"VALUES {values} ON CONFLICT ({key}) DO UPDATE SET {add}"
    )


RESULT_BATCH = 500  # rows per INSERT: 3,500 parameters
# The columns ``_insert_question_results`` writes, in its order.
RESULT_COLUMNS = (
    "attempt", "quiz", "question", "question_text", "answered", "correct",
    "points_awarded",
)  # fmt: skip
# The columns ``_add_to_tallies`` writes, in its order.
TALLY_COLUMNS = (
    "quiz", "question", "question_text", "text_digest", "drawn", "answered",
    "correct",
)  # fmt: skip


def close_overdue_attempts(*, now: datetime | None = None) -> int:
    """Closes attempts past deadline and grace; safe to run repeatedly and at once.

    Each attempt is closed in its own transaction, taking the locks in the
    service's order: the enrolment, then the attempt, re-read as still open.
    A sweep waits for a lock rather than skipping it, so of two sweeps (or a
    sweep and the learner's own submit) exactly one closes the attempt and
    the other finds it closed. Skipping locked rows let each of two sweeps
    hold the lock the other needed, and neither closed the attempt.
    """
    now = now or timezone.now()
    overdue = list(
        QuizAttempt.objects.filter(
            status=QuizAttempt.Status.IN_PROGRESS, deadline__lt=now - grace()
        ).values_list("pk", "learner_id", "quiz_id")
    )
    return sum(
        _close_if_overdue(attempt_id, learner_id=learner_id, quiz_id=quiz_id, now=now)
        for attempt_id, learner_id, quiz_id in overdue
    )


def _close_if_overdue(attempt_id: int, *, learner_id, quiz_id, now) -> bool:
    quiz = QuizPage.objects.get(pk=quiz_id)
    with transaction.atomic():
        # None when the quiz has left every course the learner is enrolled
        # in: the attempt is still graded, only no course step is recorded.
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(learner_id=learner_id, course=quiz.course)
            .first()
        )
        attempt = (
            QuizAttempt.objects.select_for_update()
            .filter(pk=attempt_id, status=QuizAttempt.Status.IN_PROGRESS)
            .first()
        )
        if attempt is None or not is_overdue(attempt, now):
            return False  # closed meanwhile by the learner or another sweep
        _time_out(attempt, now=now, quiz=quiz, enrolment=enrolment)
    return True


class Detail:
    """How much the result of a closed attempt shows per question."""

    NONE = "none"  # the score only
    GIVEN = "given"  # also the learner's own answers, without marks
    MARKS = "marks"  # also whether each was right, and the points it earned
    FULL = "full"  # also the correct answers, explanations and feedback


def review_detail(*, attempt, quiz: QuizPage, attempts) -> str:
    """What the result of ``attempt`` may show, by the quiz's review policy.

    ``attempts`` are all the learner's attempts at the quiz (models or
    summaries). While any of them is open, a result shows the score only:
    the review of an earlier attempt would otherwise answer the running one.
    "After the last attempt" means after the last attempt is closed. Marks
    per question are their own setting: on a question with two options a
    mark is the answer, so by default they come with the correct answers.
    """
    if attempt.is_open or any(other.is_open for other in attempts):
        return Detail.NONE
    if _answers_allowed(attempt=attempt, quiz=quiz, attempts=attempts):
        return Detail.FULL
    if quiz.marks_after_each_attempt:
        return Detail.MARKS
    return Detail.GIVEN


def _answers_allowed(*, attempt, quiz: QuizPage, attempts) -> bool:
    policy = quiz.answers_shown
    if policy == QuizPage.AnswersShown.AFTER_EACH:
        return True
    if policy == QuizPage.AnswersShown.AFTER_PASS:
        return bool(attempt.passed) or any(other.passed for other in attempts)
    if policy == QuizPage.AnswersShown.AFTER_LAST:
        return bool(quiz.max_attempts) and len(attempts) >= quiz.max_attempts
    return False
