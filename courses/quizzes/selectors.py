"""Reads for the quiz pages: a learner's standing in a quiz, and a result to show.

``QuizStanding`` repeats the service's rules for display only (what button to
offer, when the next attempt opens); ``courses.quizzes.attempts`` stays the authority.
"""

from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from courses.dashboard import NextLink
from courses.outline import OutlineStep
from courses.quizzes.answers import AnswerError, parse_decimal
from courses.quizzes.attempts import Detail, is_overdue, next_attempt_opens_at
from courses.quizzes.forms import truth_label
from courses.quizzes.models import QuizAttempt, QuizPage


@dataclass(frozen=True)
class AttemptSummary:
    """An attempt without its snapshot: what lists and buttons need."""

    pk: int
    number: int
    status: str
    started_at: datetime
    deadline: datetime | None
    closed_at: datetime | None
    score: Decimal | None
    max_score: Decimal
    percent: Decimal | None
    passed: bool | None

    @property
    def is_open(self) -> bool:
        return self.status == QuizAttempt.Status.IN_PROGRESS


SUMMARY_FIELDS = [f.name for f in fields(AttemptSummary)]


@dataclass
class QuizStanding:
    """One learner's attempts at one quiz, oldest first, without snapshots."""

    quiz: QuizPage
    attempts: list[AttemptSummary]
    now: datetime

    @cached_property
    def open_attempt(self) -> AttemptSummary | None:
        """The attempt still running, if any (an overdue one is not running)."""
        return next(
            (a for a in self.attempts if a.is_open and not is_overdue(a, self.now)),
            None,
        )

    @property
    def overdue_attempt(self) -> AttemptSummary | None:
        return next(
            (a for a in self.attempts if a.is_open and is_overdue(a, self.now)), None
        )

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def left(self) -> int | None:
        """Attempts left; None when unlimited."""
        if not self.quiz.max_attempts:
            return None
        return max(0, self.quiz.max_attempts - self.used)

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def best(self) -> AttemptSummary | None:
        graded = [a for a in self.attempts if a.percent is not None]
        return max(graded, key=lambda a: (a.percent, -a.number), default=None)

    @property
    def next_start_at(self) -> datetime | None:
        """When the waiting time after the last attempt ends, if still ahead."""
        return next_attempt_opens_at(
            quiz=self.quiz, attempts=self.attempts, now=self.now
        )

    @property
    def may_start(self) -> bool:
        return (
            self.open_attempt is None and self.left != 0 and self.next_start_at is None
        )

    @property
    def can_improve(self) -> bool:
        """Whether another attempt could change what counts.

        A quiz's grading rule is that the best attempt counts (the step is
        recorded at the first pass; results and reports show the best score),
        so another attempt helps until the quiz is passed, and after a pass
        until the best score is 100 %.
        """
        if not self.passed:
            return True
        return self.best is not None and self.best.percent < 100

    @property
    def offers_retry(self) -> bool:
        """«Спробувати ще раз»: it can improve something and may start now."""
        return self.can_improve and self.may_start

    @property
    def retry_opens_at(self) -> datetime | None:
        """When «Спробувати ще раз» will be offered, if only waiting stands in
        the way (an attempt left, nothing open, something to improve)."""
        if not self.can_improve or self.open_attempt is not None or self.left == 0:
            return None
        return self.next_start_at


def summary_of(attempt: QuizAttempt) -> AttemptSummary:
    return AttemptSummary(*(getattr(attempt, name) for name in SUMMARY_FIELDS))


def standing_of(quiz: QuizPage, attempts: list[QuizAttempt], now=None) -> QuizStanding:
    """The standing from attempts already read (all of one learner's at ``quiz``)."""
    summaries = [summary_of(attempt) for attempt in attempts]
    return QuizStanding(quiz=quiz, attempts=summaries, now=now or timezone.now())


def quiz_standing(*, learner, quiz: QuizPage, now=None) -> QuizStanding:
    """A learner's attempts at a quiz in one query, their snapshots left out."""
    rows = (
        QuizAttempt.objects.filter(learner=learner, quiz=quiz)
        .order_by("number")
        .values_list(*SUMMARY_FIELDS)
    )
    attempts = [AttemptSummary(*row) for row in rows]
    return QuizStanding(quiz=quiz, attempts=attempts, now=now or timezone.now())


def is_answered(answer) -> bool:
    """Whether a stored answer counts as given, as grading counts it."""
    return answer not in (None, "", [], {})


def unanswered_keys(questions: list[dict], answers: dict) -> list[str]:
    """Keys of the questions without an answer, in the attempt's order."""
    return [q["key"] for q in questions if not is_answered(answers.get(q["key"]))]


@dataclass
class NextAfterResult:
    """What a quiz result offers as the main way on.

    ``finish`` when the course is completed (the certificate); otherwise
    ``step``, the first required step of the course not yet done, unless that
    is this quiz (then trying again is the way on, when it is offered).
    """

    finish: NextLink | None = None
    step: OutlineStep | None = None
    course_completed: bool = False


def next_after_result(*, progress, quiz: QuizPage, finish=None) -> NextAfterResult:
    """The way on from a quiz result, from the learner's progress (no query)."""
    if progress is None or not progress.is_enrolled:
        return NextAfterResult()
    if progress.is_completed:
        return NextAfterResult(finish=finish, course_completed=True)
    step = progress.next_step
    if step is not None and step.page_id == quiz.pk:
        step = None
    return NextAfterResult(step=step)


def questions_per_attempt(quiz: QuizPage) -> int:
    pool = quiz.questions.drawable().count() if quiz.pk else 0
    return min(pool, quiz.draw_count) if quiz.draw_count else pool


# Results ----------------------------------------------------------------------


@dataclass
class ResultItem:
    """One question of a closed attempt, with as much as the policy allows.

    ``awarded`` and ``correct`` are None when marks are not shown, so a
    template or builder cannot show what it was never given.
    """

    number: int
    text: str
    points: Decimal
    awarded: Decimal | None
    answered: bool
    correct: bool | None
    given: list[str]
    expected: list[str] = field(default_factory=list)
    explanation: str = ""
    feedback: list[str] = field(default_factory=list)

    @property
    def marked(self) -> bool:
        return self.correct is not None

    @property
    def partial(self) -> bool:
        return self.marked and not self.correct and self.awarded > 0


def _number(value) -> str:
    """A stored number as typed digits, never longer than it needs to be.

    Answers are stored within ``parse_decimal``'s limits; one stored before
    them (e.g. 1E-999999, a million digits written out) shows in exponent
    form instead.
    """
    try:
        number = Decimal(str(value))
        return format(parse_decimal(format(number, "E")), "f")
    except (AnswerError, InvalidOperation):
        return str(value)[:40]


def _given(question: dict, answer) -> list[str]:
    """The learner's answer in words."""
    kind = question["type"]
    if answer in (None, "", [], {}):
        return []
    if kind in ("single", "multiple"):
        chosen = answer if isinstance(answer, list) else [answer]
        return [o["text"] for o in question["options"] if o["id"] in chosen]
    if kind == "truefalse":
        return [truth_label(answer)]
    if kind == "text":
        return [answer]
    if kind == "numeric":
        return [_number(answer)]
    if kind == "matching":
        rights = {r["id"]: r["text"] for r in question["right"]}
        return [
            f"{left['text']} → {rights.get(answer[str(left['id'])], '')}"
            for left in question["left"]
            if str(left["id"]) in answer
        ]
    if kind == "ordering":
        texts = {item["id"]: item["text"] for item in question["items"]}
        return [texts.get(item, "") for item in answer]
    return []


def _expected(question: dict) -> list[str]:
    """The correct answer in words; only for a result that may show it."""
    kind = question["type"]
    if kind in ("single", "multiple"):
        return [o["text"] for o in question["options"] if o["correct"]]
    if kind == "truefalse":
        return [truth_label(question["correct"])]
    if kind == "text":
        return list(question["accepted"])
    if kind == "numeric":
        value, tolerance = _number(question["value"]), _number(question["tolerance"])
        if Decimal(tolerance):
            return [
                _("%(value)s (± %(tolerance)s)")
                % {"value": value, "tolerance": tolerance}
            ]
        return [value]
    if kind == "matching":
        rights = {r["id"]: r["text"] for r in question["right"]}
        return [
            f"{left['text']} → {rights[question['match'][str(left['id'])]]}"
            for left in question["left"]
        ]
    if kind == "ordering":
        texts = {item["id"]: item["text"] for item in question["items"]}
        return [texts[item] for item in question["order"]]
    return []


def _feedback(question: dict, answer) -> list[str]:
    """Feedback the editor wrote for the choices the learner made."""
    kind = question["type"]
    if kind in ("single", "multiple") and answer not in (None, []):
        chosen = answer if isinstance(answer, list) else [answer]
        return [
            o["feedback"]
            for o in question["options"]
            if o["id"] in chosen and o.get("feedback")
        ]
    if kind == "truefalse" and answer is not None:
        text = question.get("feedback", {}).get("true" if answer else "false")
        return [text] if text else []
    return []


def result_items(attempt: QuizAttempt, *, detail: str) -> list[ResultItem]:
    """Per-question results of a closed attempt, as much as ``detail`` allows."""
    if detail == Detail.NONE or attempt.is_open:
        return []
    marked = detail in (Detail.MARKS, Detail.FULL)
    items = []
    for number, question in enumerate(attempt.questions, 1):
        answer = attempt.answers.get(question["key"])
        result = attempt.results.get(question["key"], {})
        item = ResultItem(
            number=number,
            text=question["text"],
            points=Decimal(question["points"]),
            awarded=Decimal(result.get("awarded", "0")) if marked else None,
            answered=bool(result.get("answered")),
            correct=bool(result.get("correct")) if marked else None,
            given=_given(question, answer),
        )
        if detail == Detail.FULL:
            item.expected = _expected(question)
            item.explanation = question.get("explanation", "")
            item.feedback = _feedback(question, answer)
        items.append(item)
    return items
