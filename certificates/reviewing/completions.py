"""Who completed what: the rows of the completion report, built in chunks.

One row per enrolment. Where the learner works (oblast, hromada, category,
organisation) is the enrolment's record, frozen at completion; the learner's
current profile is given beside it where it differs. Progress, the best score
of each quiz and the certificate are read for a whole chunk of enrolments at
once (three grouped queries), so a page of the report and every chunk of an
export cost the same few queries whatever their size.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certificates.models import Certificate
from certificates.reviewing import extensions
from certificates.reviewing.scope import Scope, scope_of
from courses.models import Completion, CoursePage, Enrolment, QuizAttempt
from courses.outline import build_outlines
from courses.progress import REQUIRED_STEP_KINDS


class Status:
    """What the report calls the state of an enrolment."""

    ENROLLED = "enrolled"
    LEARNING = "learning"
    COMPLETED = "completed"

    CHOICES = [
        (ENROLLED, pgettext_lazy("enrolment status", "enrolled")),
        (LEARNING, pgettext_lazy("enrolment status", "learning")),
        (COMPLETED, pgettext_lazy("enrolment status", "completed")),
    ]
    LABELS = dict(CHOICES)
    # Sorted in this order: furthest along first when descending.
    RANK = {ENROLLED: 0, LEARNING: 1, COMPLETED: 2}


def status_q(status: str) -> Q:
    if status == Status.COMPLETED:
        return Q(completed_at__isnull=False)
    if status == Status.LEARNING:
        return Q(completed_at__isnull=True, started_at__isnull=False)
    return Q(completed_at__isnull=True, started_at__isnull=True)


def with_status_rank(queryset: QuerySet) -> QuerySet:
    """Annotates ``status_rank`` (for sorting by status) in SQL."""
    return queryset.annotate(
        status_rank=Case(
            When(completed_at__isnull=False, then=Value(2)),
            When(started_at__isnull=False, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def base_queryset() -> QuerySet:
    """Enrolments with what a row shows, in one query."""
    return Enrolment.objects.select_related(
        "learner",
        "learner__oblast",
        "learner__hromada",
        "learner__position_category",
        "course",
        "oblast",
        "hromada",
        "position_category",
    ).only(
        "pk", "enrolled_at", "started_at", "completed_at", "organisation",
        "learner__id", "learner__email", "learner__last_name",
        "learner__first_name", "learner__patronymic", "learner__organisation",
        "learner__anonymised_at", "learner__oblast__name",
        "learner__hromada__name", "learner__position_category__name",
        "course__id", "course__title", "course__path", "course__depth",
        "course__url_path", "oblast__name", "hromada__name",
        "position_category__name",
    )  # fmt: skip


@dataclass(frozen=True)
class QuizColumn:
    quiz_id: int
    title: str
    course_id: int

    @property
    def key(self) -> str:
        return f"best_{self.quiz_id}"


def quiz_columns(courses: Iterable[CoursePage]) -> list[QuizColumn]:
    """The quizzes of the courses, in course order: a best-score column each."""
    courses = list(courses)
    outlines = build_outlines(courses)
    return [
        QuizColumn(step.page_id, step.title, course.pk)
        for course in courses
        for step in outlines[course.pk].steps
        if step.kind == "quizpage"
    ]


@dataclass
class CompletionRow:
    """One enrolment, as the report and its export show it."""

    enrolment: Enrolment
    progress: int
    best: dict[int, Decimal] = field(default_factory=dict)
    certificate_number: str = ""
    certificate_status: str = ""
    certificate_id: int | None = None
    # Values of the columns other apps register (certificates.reviewing.extensions).
    extra: dict = field(default_factory=dict)

    @property
    def learner(self):
        return self.enrolment.learner

    @property
    def full_name(self) -> str:
        if self.learner.anonymised_at is not None:
            return str(_("(account deleted)"))
        return self.learner.get_full_name() or self.learner.email

    @property
    def email(self) -> str:
        return "" if self.learner.anonymised_at else self.learner.email

    @property
    def status(self) -> str:
        if self.enrolment.completed_at is not None:
            return Status.COMPLETED
        if self.enrolment.started_at is not None:
            return Status.LEARNING
        return Status.ENROLLED

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])

    @property
    def course_title(self) -> str:
        return self.enrolment.course.title

    @property
    def enrolled_at(self) -> datetime:
        return self.enrolment.enrolled_at

    @property
    def completed_at(self) -> datetime | None:
        return self.enrolment.completed_at

    # Where the learner works: the enrolment's record, and now if different.
    def _pair(self, recorded, current) -> tuple[str, str]:
        recorded, current = str(recorded or ""), str(current or "")
        if self.learner.anonymised_at is not None or recorded == current:
            return recorded, ""
        return recorded, current

    @property
    def organisation(self) -> tuple[str, str]:
        return self._pair(self.enrolment.organisation, self.learner.organisation)

    @property
    def oblast(self) -> tuple[str, str]:
        return self._pair(self.enrolment.oblast, self.learner.oblast)

    @property
    def hromada(self) -> tuple[str, str]:
        return self._pair(self.enrolment.hromada, self.learner.hromada)

    @property
    def category(self) -> tuple[str, str]:
        return self._pair(
            self.enrolment.position_category, self.learner.position_category
        )

    @property
    def certificate_status_label(self) -> str:
        if not self.certificate_status:
            return ""
        return str(Certificate.Status(self.certificate_status).label)

    def export_dict(self, quizzes: list[QuizColumn]) -> dict:
        row = {
            "full_name": self.full_name,
            "organisation": self.organisation[0],
            "position_category": self.category[0],
            "oblast": self.oblast[0],
            "hromada": self.hromada[0],
            "course": self.course_title,
            "status": self.status_label,
            "progress": self.progress,
            "enrolled_at": self.enrolled_at,
            "completed_at": self.completed_at,
            "certificate_number": self.certificate_number,
            "certificate_status": self.certificate_status_label,
            "current_organisation": self.organisation[1],
            "current_oblast": self.oblast[1],
            "current_hromada": self.hromada[1],
        }
        for quiz in quizzes:
            row[quiz.key] = self.best.get(quiz.quiz_id)
        for column in extensions.report_columns():
            row[column.key] = column.export(self.extra.get(column.key))
        return row


def build_rows(
    enrolments: list[Enrolment], *, request=None, scope: Scope | None = None
) -> list[CompletionRow]:
    """Rows for a chunk of enrolments: three grouped queries whatever its size,
    and one for each column another app registers."""
    if not enrolments:
        return []
    if scope is None:
        scope = scope_of(request.user) if request is not None else Scope(None)
    learner_ids = {e.learner_id for e in enrolments}
    course_ids = {e.course_id for e in enrolments}
    outlines = build_outlines(
        list({e.course_id: e.course for e in enrolments}.values()), request
    )
    required = {
        course_id: {
            step.page_id
            for step in outline.steps
            if step.kind in REQUIRED_STEP_KINDS and step.required
        }
        for course_id, outline in outlines.items()
    }
    quiz_ids = {
        step.page_id
        for outline in outlines.values()
        for step in outline.steps
        if step.kind == "quizpage"
    }
    done = _steps_done(learner_ids, course_ids, required)
    best = _best_scores(learner_ids, quiz_ids)
    certificates = _certificates([e.pk for e in enrolments])
    extra = extensions.column_values(enrolments, scope)
    rows = []
    for enrolment in enrolments:
        total = len(required.get(enrolment.course_id, ()))
        count = done.get((enrolment.learner_id, enrolment.course_id), 0)
        if enrolment.completed_at is not None:
            progress = 100
        else:
            progress = min(99, 100 * count // total) if total else 0
        row = CompletionRow(
            enrolment,
            progress,
            best.get(enrolment.learner_id, {}),
            extra=extra[enrolment.pk],
        )
        certificate = certificates.get(enrolment.pk)
        if certificate:
            row.certificate_id, row.certificate_number, row.certificate_status = (
                certificate
            )
        rows.append(row)
    return rows


def _steps_done(learner_ids, course_ids, required) -> dict[tuple[int, int], int]:
    step_ids = set().union(*required.values()) if required else set()
    counts = (
        Completion.objects.filter(
            learner_id__in=learner_ids, course_id__in=course_ids, page_id__in=step_ids
        )
        .values("learner_id", "course_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {(c["learner_id"], c["course_id"]): c["count"] for c in counts}


def _best_scores(learner_ids, quiz_ids) -> dict[int, dict[int, Decimal]]:
    best: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = (
        QuizAttempt.objects.filter(
            learner_id__in=learner_ids, quiz_id__in=quiz_ids, percent__isnull=False
        )
        .values("learner_id", "quiz_id")
        .annotate(best=Max("percent"))
        .order_by()
    )
    for row in rows:
        best[row["learner_id"]][row["quiz_id"]] = row["best"]
    return best


def _certificates(enrolment_ids) -> dict[int, tuple[int, str, str]]:
    """Per enrolment: its valid certificate, else the latest it had."""
    found: dict[int, tuple[int, str, str]] = {}
    rows = (
        Certificate.objects.filter(enrolment_id__in=enrolment_ids)
        .exclude(status=Certificate.Status.SUPERSEDED)
        .order_by("enrolment_id", "-issued_at", "-pk")
        .values_list("enrolment_id", "pk", "number", "status")
    )
    for enrolment_id, pk, number, status in rows:
        current = found.get(enrolment_id)
        if current is None or (
            status == Certificate.Status.VALID
            and current[2] != Certificate.Status.VALID
        ):
            found[enrolment_id] = (pk, number, status)
    return found
