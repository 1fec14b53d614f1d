"""Statistics with charts: enrolments and completions over time, completion by
oblast, the funnel, quiz pass rates. /admin/reports/completion-statistics/.

Rules this module keeps:

- Everything is counted within the reviewer's scope (``scope_of``): enrolments
  by their recorded oblast, certificates through their enrolment, quiz
  attempts only of learners whose enrolment in that quiz's course is in scope.
- A fixed number of queries whatever the amount of data: each section is one
  grouped query, counted by the database (selectors below).
- Months are months in Kyiv. The period filter applies to the over-time
  section (enrolments by month of enrolment, completions by month of
  completion); the other sections count every enrolment to date.
- Reviewers read; the page changes nothing.
"""

import datetime
from dataclasses import dataclass, replace

from django import forms
from django.db import models
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
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy

from certificates.models import KYIV, Certificate
from certificates.reviewing import charts
from certificates.reviewing.charts import percent
from certificates.reviewing.menu import REVIEW_MENU_HOOK, PermissionMenuItem
from certificates.reviewing.scope import Scope, scope_of
from courses.models import CoursePage, Enrolment, QuizAttempt, QuizPage
from lms.models import Oblast

URL_NAME = "review_statistics"
PERMISSION = "courses.view_enrolment"
DEFAULT_MONTHS = 12
MAX_MONTHS = 36


# The period -------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """How many calendar months the days from ``start`` to ``end`` touch."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def kyiv_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=KYIV)


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end`` inclusive, in Kyiv."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls, *, end: datetime.date | None = None) -> "Period":
        """The last twelve months: this month and the eleven before it."""
        end = end or timezone.localdate(timezone=KYIV)
        return cls(add_months(month_start(end), 1 - DEFAULT_MONTHS), end)

    @property
    def months(self) -> list[datetime.date]:
        first = month_start(self.start)
        return [
            add_months(first, n) for n in range(months_between(self.start, self.end))
        ]

    def q(self, field: str) -> Q:
        """The moments of the period, for a date-time ``field``."""
        return Q(
            **{
                f"{field}__gte": kyiv_midnight(self.start),
                f"{field}__lt": kyiv_midnight(self.end + datetime.timedelta(days=1)),
            }
        )


# Filters ----------------------------------------------------------------------


class OblastOrder(models.TextChoices):
    NAME = "name", _("By name")
    ENROLLED = "enrolled", _("By number enrolled")


class StatisticsForm(forms.Form):
    """The filters; every field is optional and falls back to the defaults."""

    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.order_by("title").only("pk", "title", "path"),
        required=False,
        empty_label=_("All courses"),
    )
    date_from = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Period to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    oblast_order = forms.ChoiceField(
        label=_("Sort oblasts"),
        choices=OblastOrder.choices,
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start is None and end is None:
            data["period"] = Period.default()
        elif start is None:
            data["period"] = Period.default(end=end)
        else:
            data["period"] = Period(start, end or timezone.localdate(timezone=KYIV))
        period = data["period"]
        if period.start > period.end:
            raise forms.ValidationError(
                _("The period must not end before it starts."), code="reversed"
            )
        if len(period.months) > MAX_MONTHS:
            raise forms.ValidationError(
                ngettext(
                    "Choose a period of at most %(months)s month.",
                    "Choose a period of at most %(months)s months.",
                    MAX_MONTHS,
                )
                % {"months": MAX_MONTHS},
                code="too_long",
            )
        return data


@dataclass(frozen=True)
class Choice:
    """What the page shows: the filters as cleaned, or the defaults."""

    course: CoursePage | None
    period: Period
    oblast_order: str

    @classmethod
    def from_form(cls, form: StatisticsForm) -> "Choice":
        if not form.is_bound or not form.is_valid():
            return cls(None, Period.default(), OblastOrder.NAME)
        data = form.cleaned_data
        return cls(
            data["course"], data["period"], data["oblast_order"] or OblastOrder.NAME
        )


# Selectors --------------------------------------------------------------------


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


def scoped_enrolments(*, scope: Scope, course: CoursePage | None) -> QuerySet:
    enrolments = scope.enrolments(Enrolment.objects.all())
    return enrolments.filter(course=course) if course else enrolments


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
    attempts = QuizAttempt.objects.filter(
        quiz_id__in=[quiz.quiz_id for quiz in quizzes]
    ).exclude(status=QuizAttempt.Status.IN_PROGRESS)
    if scope.is_limited:
        attempts = attempts.annotate(course_id=_course_of_quiz(quizzes)).filter(
            Exists(
                scope.enrolments(Enrolment.objects.all()).filter(
                    learner_id=OuterRef("learner_id"), course_id=OuterRef("course_id")
                )
            )
        )
    counted = {
        row.pop("quiz_id"): row
        for row in attempts.values("quiz_id")
        .annotate(
            attempted=Count("learner_id", distinct=True),
            passed=Count("learner_id", distinct=True, filter=Q(passed=True)),
            attempts=Count("*"),
        )
        .order_by()
    }
    return [
        replace(quiz, **counted[quiz.quiz_id]) if quiz.quiz_id in counted else quiz
        for quiz in quizzes
        if quiz.live or quiz.quiz_id in counted
    ]


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


# The page ---------------------------------------------------------------------


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


def draw_charts(statistics: Statistics, choice: Choice) -> dict:
    return {
        "months": charts.months_chart(months=statistics.months, period=choice.period),
        "oblasts": charts.oblasts_chart(oblasts=statistics.oblasts),
        "funnel": charts.funnel_chart(funnel=statistics.funnel),
        "quizzes": charts.quizzes_chart(
            quizzes=statistics.quizzes, with_course=choice.course is None
        ),
    }


class StatisticsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """The statistics page: read-only, for those who may view enrolments."""

    template_name = "certificates/reviewing/statistics.html"
    page_title = _("Completion statistics")
    header_icon = "table"
    permission_required = "view"

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(Enrolment)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        default = Period.default()
        form = StatisticsForm(
            self.request.GET or None,
            initial={"date_from": default.start, "date_to": default.end},
        )
        choice = Choice.from_form(form)
        scope = scope_of(self.request.user)
        statistics = gather_statistics(scope=scope, choice=choice)
        return super().get_context_data(
            form=form,
            choice=choice,
            scope=scope,
            statistics=statistics,
            charts=draw_charts(statistics, choice),
            **kwargs,
        )


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [
        path(
            "reports/completion-statistics/",
            StatisticsView.as_view(),
            name=URL_NAME,
        )
    ]


@hooks.register(REVIEW_MENU_HOOK)
def register_statistics_menu_item():
    return PermissionMenuItem(
        _("Statistics"),
        reverse(URL_NAME),
        name="completion-statistics",
        icon_name="table",
        order=400,
        permissions=(PERMISSION,),
    )
