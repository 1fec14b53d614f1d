"""The page's counts: one grouped query a section, within the reviewer's scope."""

import datetime
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from certificates.models import KYIV, Certificate
from certificates.reviewing.scope import Scope
from certificates.reviewing.statistics.filters import Choice, OblastOrder
from certificates.reviewing.statistics.period import Period
from courses.models import CoursePage, Enrolment, QuizAttempt, QuizPage
from lms.models import Oblast


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, rounded half up; None when there is no whole."""
    if not whole:
        return None
    share = Decimal(part * 100) / Decimal(whole)
    return int(share.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    enrolled: int
    completed: int


@dataclass(frozen=True)
class OblastRow:
    name: str
    enrolled: int
    completed: int

    @property
    def completed_percent(self) -> int | None:
        return percent(self.completed, self.enrolled)


@dataclass(frozen=True)
class Funnel:
    enrolled: int
    started: int
    completed: int
    certified: int

    @property
    def stages(self) -> list[tuple[str, int, int | None]]:
        """(label, learners, % of enrolled) from enrolment to certificate."""
        counts = [
            (pgettext_lazy("statistics", "Enrolled"), self.enrolled),
            (pgettext_lazy("statistics", "Started"), self.started),
            (pgettext_lazy("statistics", "Completed"), self.completed),
            (_("Hold a valid certificate"), self.certified),
        ]
        return [
            (label, count, percent(count, self.enrolled)) for label, count in counts
        ]


@dataclass(frozen=True)
class QuizRow:
    quiz_id: int
    course_id: int
    title: str
    course_title: str
    live: bool = True
    attempted: int = 0
    passed: int = 0
    attempts: int = 0

    @property
    def passed_percent(self) -> int | None:
        return percent(self.passed, self.attempted)


@dataclass(frozen=True)
class Statistics:
    months: list[MonthRow]
    oblasts: list[OblastRow]
    funnel: Funnel
    quizzes: list[QuizRow]

    @property
    def enrolled_in_period(self) -> int:
        return sum(row.enrolled for row in self.months)

    @property
    def completed_in_period(self) -> int:
        return sum(row.completed for row in self.months)


def gather_statistics(*, scope: Scope, choice: Choice) -> Statistics:
    """Every section of the page, in a fixed number of queries."""
    enrolments = scoped_enrolments(scope=scope, course=choice.course)
    counts = counts_by_oblast(enrolments=enrolments, scope=scope, course=choice.course)
    return Statistics(
        months=monthly_counts(enrolments=enrolments, period=choice.period),
        oblasts=oblast_rows(counts=counts, scope=scope, order=choice.oblast_order),
        funnel=funnel_of(counts),
        quizzes=quiz_pass_rates(
            quizzes=course_quizzes(course=choice.course), scope=scope
        ),
    )


def scoped_enrolments(*, scope: Scope, course: CoursePage | None) -> QuerySet:
    enrolments = scope.enrolments(Enrolment.objects.all())
    return enrolments.filter(course=course) if course else enrolments


# Over time --------------------------------------------------------------------


def monthly_counts(*, enrolments: QuerySet, period: Period) -> list[MonthRow]:
    """Enrolments by month of enrolment, completions by month of completion."""
    enrolled = _per_month(enrolments, "enrolled_at", period)
    completed = _per_month(enrolments, "completed_at", period)
    return [
        MonthRow(month, enrolled.get(month, 0), completed.get(month, 0))
        for month in period.months
    ]


def _per_month(
    enrolments: QuerySet, field: str, period: Period
) -> dict[datetime.date, int]:
    rows = (
        enrolments.filter(period.q(field))
        .annotate(month=TruncMonth(field, tzinfo=KYIV))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("month", "count")
    )
    return {timezone.localtime(month, KYIV).date(): count for month, count in rows}


# Oblasts and the funnel -------------------------------------------------------


def counts_by_oblast(
    *, enrolments: QuerySet, scope: Scope, course: CoursePage | None
) -> dict[int | None, dict]:
    """Per recorded oblast: enrolled, started, completed, certified (one query).

    Started counts a first step done, or a completion (which implies one); a
    certificate counts while valid, once per enrolment, and only through an
    enrolment in scope. The certified enrolments are an ``IN`` list, which
    PostgreSQL hashes once, not a subquery run for every enrolment.
    """
    certificates = scope.certificates(Certificate.objects.valid())
    if course:
        certificates = certificates.filter(course=course)
    certified = certificates.values("enrolment_id")
    rows = (
        enrolments.values("oblast_id")
        .annotate(
            enrolled=Count("pk"),
            started=Count(
                "pk", filter=Q(started_at__isnull=False) | Q(completed_at__isnull=False)
            ),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            certified=Count("pk", filter=Q(pk__in=certified)),
        )
        .order_by()
    )
    return {row.pop("oblast_id"): row for row in rows}


def funnel_of(counts: dict[int | None, dict]) -> Funnel:
    totals = {
        name: sum(row[name] for row in counts.values())
        for name in ("enrolled", "started", "completed", "certified")
    }
    return Funnel(**totals)


def oblast_rows(*, counts: dict, scope: Scope, order: str) -> list[OblastRow]:
    """Every oblast in the scope, those with nobody too; then the unrecorded."""
    oblasts = scope.oblasts(Oblast.objects.all()).values_list("pk", "name")
    rows = [
        OblastRow(
            name,
            counts.get(pk, {}).get("enrolled", 0),
            counts.get(pk, {}).get("completed", 0),
        )
        for pk, name in oblasts
    ]
    if order == OblastOrder.ENROLLED:
        rows.sort(key=lambda row: -row.enrolled)  # stable: by name within a count
    unrecorded = counts.get(None)
    if unrecorded and not scope.is_limited:
        name = gettext("Oblast not recorded")
        rows.append(OblastRow(name, unrecorded["enrolled"], unrecorded["completed"]))
    return rows


# Quizzes ----------------------------------------------------------------------


def course_quizzes(*, course: CoursePage | None) -> list[QuizRow]:
    """The quizzes of the course (or of every course), in course order."""
    courses = (
        [course]
        if course
        else list(CoursePage.objects.order_by("path").only("pk", "title", "path"))
    )
    quizzes = QuizPage.objects.order_by("path").values_list(
        "pk", "title", "path", "live"
    )
    if course:
        quizzes = quizzes.filter(path__startswith=course.path)
    rows = []
    for pk, title, quiz_path, live in quizzes:
        owner = next((c for c in courses if quiz_path.startswith(c.path)), None)
        if owner is not None:
            rows.append(QuizRow(pk, owner.pk, title, owner.title, live))
    return rows


def quiz_pass_rates(*, quizzes: list[QuizRow], scope: Scope) -> list[QuizRow]:
    """Learners who attempted, who passed, and attempts, per quiz (one query).

    Only closed attempts count. A quiz no longer published is listed while it
    has attempts. In a limited scope an attempt counts only if its learner's
    enrolment in the quiz's course is in scope; in a full scope every
    enrolment is, so the check is left out rather than made for every attempt.
    Attempts are counted with ``COUNT(*)``, so that an index on (quiz, learner)
    including ``passed``, for closed attempts, answers the query without
    reading the attempts themselves (docs/architecture.md, Reviewing).
    """
    if not quizzes:
        return []
    counted = _counts_per_quiz(_closed_attempts(quizzes=quizzes, scope=scope))
    return [
        replace(quiz, **counted[quiz.quiz_id]) if quiz.quiz_id in counted else quiz
        for quiz in quizzes
        if quiz.live or quiz.quiz_id in counted
    ]


def _closed_attempts(*, quizzes: list[QuizRow], scope: Scope) -> QuerySet:
    attempts = QuizAttempt.objects.filter(
        quiz_id__in=[quiz.quiz_id for quiz in quizzes]
    ).exclude(status=QuizAttempt.Status.IN_PROGRESS)
    if not scope.is_limited:
        return attempts
    return attempts.annotate(course_id=_course_of_quiz(quizzes)).filter(
        Exists(
            scope.enrolments(Enrolment.objects.all()).filter(
                learner_id=OuterRef("learner_id"), course_id=OuterRef("course_id")
            )
        )
    )


def _counts_per_quiz(attempts: QuerySet) -> dict[int, dict]:
    return {
        row.pop("quiz_id"): row
        for row in attempts.values("quiz_id")
        .annotate(
            attempted=Count("learner_id", distinct=True),
            passed=Count("learner_id", distinct=True, filter=Q(passed=True)),
            attempts=Count("*"),
        )
        .order_by()
    }


def _course_of_quiz(quizzes: list[QuizRow]) -> Case:
    """The course of each attempt's quiz, for matching it to an enrolment."""
    by_course: dict[int, list[int]] = {}
    for quiz in quizzes:
        by_course.setdefault(quiz.course_id, []).append(quiz.quiz_id)
    return Case(
        *(
            When(quiz_id__in=ids, then=Value(course_id))
            for course_id, ids in by_course.items()
        ),
        output_field=IntegerField(),
    )
