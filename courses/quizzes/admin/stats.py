"""How each question fared: drawn, answered, answered right, from graded results.

The report reads ``QuestionTally`` rows, which grading keeps up to date in its
own transaction (``courses.quizzes.attempts._add_to_tallies``), never the results
themselves: a quiz taken by 100,000 learners has millions of those.
``rebuild_tallies`` counts everything again from the results, for repair
after rows were loaded or removed past the grading service.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import django_filters
from django.db import connection, transaction
from django.db.models import Case, Count, F, Max, Q, Sum, TextField, Value, When
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import policy_registry

from courses.quizzes.admin import links
from courses.quizzes.models import Question, QuestionResult, QuestionTally, QuizPage


@dataclass
class QuestionStats:
    quiz_id: int
    quiz_title: str
    question_id: int | None  # None once the question is deleted
    text: str
    content_type_id: int | None
    drawn: int = 0
    answered: int = 0
    correct: int = 0

    @property
    def correct_percent(self) -> Decimal | None:
        """The share of the attempts that drew the question and got it right."""
        if not self.drawn:
            return None
        share = Decimal(self.correct * 100) / Decimal(self.drawn)
        return share.quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def deleted(self) -> bool:
        return self.question_id is None


def question_statistics(*, quiz_id: int | None = None) -> list[QuestionStats]:
    """Per question: the tallies added up in one grouped query, current text preferred.

    Results of a deleted question lost their link, so they are grouped by the
    text stored with them. Questions never drawn are listed with zeros.
    """
    tallies = QuestionTally.objects.all()
    if quiz_id is not None:
        tallies = tallies.filter(quiz_id=quiz_id)
    grouped = (
        tallies.values(
            "quiz_id",
            "question_id",
            deleted_text=Case(
                When(question__isnull=True, then=F("question_text")),
                default=Value(""),
                output_field=TextField(),
            ),
        )
        .annotate(
            drawn=Sum("drawn"),
            answered=Sum("answered"),
            correct=Sum("correct"),
            current_text=Max("question__text"),
            content_type_id=Max("question__polymorphic_ctype_id"),
            sort_order=Max("question__sort_order"),
            quiz_title=Max("quiz__title"),
            quiz_path=Max("quiz__path"),
        )
        .order_by()
    )
    rows = [_from_group(group) for group in grouped]
    rows += _never_drawn(quiz_id=quiz_id)
    return [stats for stats, _path, _order in sorted(rows, key=_position)]


def _from_group(group: dict) -> tuple[QuestionStats, str, int | None]:
    stats = QuestionStats(
        quiz_id=group["quiz_id"],
        quiz_title=group["quiz_title"],
        question_id=group["question_id"],
        text=group["current_text"] or group["deleted_text"],
        content_type_id=group["content_type_id"],
        drawn=group["drawn"],
        answered=group["answered"],
        correct=group["correct"],
    )
    return stats, group["quiz_path"], group["sort_order"]


def _never_drawn(*, quiz_id: int | None) -> list[tuple[QuestionStats, str, int]]:
    questions = Question.objects.non_polymorphic().exclude(
        pk__in=QuestionTally.objects.filter(question__isnull=False).values(
            "question_id"
        )
    )
    if quiz_id is not None:
        questions = questions.filter(quiz_id=quiz_id)
    rows = questions.values_list(
        "quiz_id", "quiz__title", "quiz__path", "pk", "text",
        "polymorphic_ctype_id", "sort_order",
    )  # fmt: skip
    return [
        (QuestionStats(quiz, title, pk, text, ctype), path, order)
        for quiz, title, path, pk, text, ctype, order in rows
    ]


def _position(row: tuple) -> tuple:
    stats, quiz_path, sort_order = row
    # Deleted questions come last in their quiz, in a stable order.
    return (quiz_path, sort_order is None, sort_order or 0, stats.question_id or 0,
            stats.text)  # fmt: skip


@transaction.atomic
def rebuild_tallies() -> int:
    """Counts every tally again from the results; returns how many rows it wrote.

    On PostgreSQL the tallies are locked against writes (the report still
    reads them) before the results are read: a submit that already counted
    commits first and is read with the rest, one that has not waits and
    counts on top of the new rows. SQLite allows one writer at a time anyway.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(QuestionTally._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    groups = (
        QuestionResult.objects.values("quiz_id", "question_id", "question_text")
        .annotate(
            drawn=Count("pk"),
            answered=Count("pk", filter=Q(answered=True)),
            correct=Count("pk", filter=Q(correct=True)),
        )
        .order_by()
    )
    tallies = [
        QuestionTally(text_digest=QuestionTally.digest(group["question_text"]), **group)
        for group in groups.iterator()
    ]
    QuestionTally.objects.all().delete()
    QuestionTally.objects.bulk_create(tallies, batch_size=1000)
    return len(tallies)


class QuestionStatsFilterSet(WagtailFilterSet):
    quiz = django_filters.ModelChoiceFilter(
        label=_("Quiz"),
        empty_label=_("All quizzes"),
        queryset=QuizPage.objects.order_by("path"),
    )

    class Meta:
        model = QuestionResult
        fields = ["quiz"]


class QuestionStatsView(ReportView):
    """The statistics report; editors, moderators and administrators see it."""

    page_title = _("Quiz question statistics")
    header_icon = "table"
    index_url_name = links.STATS_URL_NAME
    index_results_url_name = links.STATS_RESULTS_URL_NAME
    filterset_class = QuestionStatsFilterSet
    permission_required = "view"
    paginate_by = 100
    list_export = [
        "quiz_title", "text", "drawn", "answered", "correct", "correct_percent"
    ]  # fmt: skip
    export_headings = {
        "quiz_title": _("Quiz"),
        "text": _("Question"),
        "drawn": _("Drawn"),
        "answered": _("Answered"),
        "correct": _("Right"),
        "correct_percent": _("Right, %"),
    }

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(QuestionResult)

    def get_filename(self):
        return f"quiz-questions-{datetime.date.today():%Y-%m-%d}"

    def get_filtered_queryset(self):
        quiz = None
        if self.filters.is_valid():
            quiz = self.filters.form.cleaned_data.get("quiz")
        return question_statistics(quiz_id=quiz.pk if quiz else None)

    @cached_property
    def columns(self):
        return [
            Column("quiz_title", label=_("Quiz")),
            TitleColumn("text", label=_("Question"), get_url=self.question_url),
            Column("drawn", label=_("Drawn")),
            Column("answered", label=_("Answered")),
            Column("correct", label=_("Right")),
            Column("correct_percent", label=_("Right, %")),
        ]

    def question_url(self, stats: QuestionStats) -> str | None:
        if stats.deleted or stats.content_type_id is None:
            return None
        model = links.question_model(stats.content_type_id)
        if not links.can(self.request.user, model, "change"):
            return None
        return links.question_url(model, "edit", stats.question_id)
