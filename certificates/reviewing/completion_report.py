"""The completion report: one row per enrolment, filtered, sorted, exported.

A Wagtail ``ReportView`` at /admin/reports/completions/ with its spreadsheet
export (streamed in chunks, formula injection neutralised: lms/spreadsheets).
Every query goes through the reviewer's regional scope; every export is
written to the access log.
"""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import (
    DateRangePickerWidget,
    WagtailFilterSet,
)
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from certificates.models import Certificate
from certificates.reviewing import completions, extensions
from certificates.reviewing.access import record_access
from certificates.reviewing.columns import (
    TEMPLATES,
    CertificateColumn,
    LocalDateColumn,
    PercentColumn,
    RecordColumn,
)
from certificates.reviewing.menu import add_to_review_menu
from certificates.reviewing.models import ReviewAccess
from certificates.reviewing.scope import scope_of
from courses.models import CoursePage, Enrolment
from lms.models import Oblast, PositionCategory
from lms.names import normalise_name
from lms.spreadsheets import SafeSpreadsheetExportMixin

URL_NAME = "review_completions"
RESULTS_URL_NAME = "review_completions_results"
TRANSCRIPT_URL_NAME = "review_transcript"
PERMISSION = "courses.view_enrolment"


# Typographic apostrophe, as the codifier writes hromada names, for every
# apostrophe a reviewer may type.
APOSTROPHES = str.maketrans({"'": "’", "ʼ": "’", "‘": "’", "`": "’"})


class HromadaNameFilter(django_filters.CharFilter):
    """Part of the hromada's name. A text box, not a list: the codifier has
    about 1,800 hromadas, which as options would weigh on every report page."""

    def filter(self, queryset, value):
        value = " ".join((value or "").translate(APOSTROPHES).split())
        if not value:
            return queryset
        return queryset.filter(hromada__name__icontains=value)


class CompletionFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=CoursePage.objects.order_by("title"),
        empty_label=_("All courses"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=completions.Status.CHOICES,
        method="filter_status",
        empty_label=_("All"),
    )
    oblast = django_filters.ModelChoiceFilter(
        label=_("Oblast"), queryset=Oblast.objects.all(), empty_label=_("All oblasts")
    )
    hromada = HromadaNameFilter(label=_("Hromada"))
    position_category = django_filters.ModelChoiceFilter(
        label=_("Position category"),
        queryset=PositionCategory.objects.all(),
        empty_label=_("All categories"),
    )
    organisation = django_filters.CharFilter(
        label=_("Organisation"), lookup_expr="icontains"
    )
    enrolled = django_filters.DateFromToRangeFilter(
        label=_("Enrolled"), field_name="enrolled_at", widget=DateRangePickerWidget
    )
    completed = django_filters.DateFromToRangeFilter(
        label=_("Completed"), field_name="completed_at", widget=DateRangePickerWidget
    )

    class Meta:
        model = Enrolment
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        scope = scope_of(request.user)
        self.filters["oblast"].queryset = scope.oblasts(Oblast.objects.all())
        for registered in extensions.report_filters():
            self.filters[registered.name] = extension_filter(registered, self, scope)

    def filter_status(self, queryset, name, value):
        return queryset.filter(completions.status_q(value)) if value else queryset


def extension_filter(registered, filterset, scope) -> django_filters.ChoiceFilter:
    """A filter another app registered, as a filter of this filter set."""

    def narrow(queryset, name, value):
        return registered.narrow(queryset, value, scope) if value else queryset

    report_filter = django_filters.ChoiceFilter(
        field_name=registered.name,
        label=registered.label,
        choices=list(registered.choices),
        method=narrow,
        empty_label=_("All"),
    )
    report_filter.model = Enrolment
    report_filter.parent = filterset
    return report_filter


class ExtensionColumn(Column):
    """A column another app registered: text, or a list of texts one per line."""

    cell_template_name = TEMPLATES + "lines.html"

    def get_value(self, instance):
        value = instance.extra.get(self.name)
        if value is None or value == "" or value == []:
            return []
        return list(value) if isinstance(value, list | tuple) else [value]


def search_q(query: str) -> Q:
    """Every word in a name field or the e-mail, or the certificate number."""
    words = normalise_name(query).split()
    condition = Q()
    for word in words:
        condition &= (
            Q(learner__last_name__icontains=word)
            | Q(learner__first_name__icontains=word)
            | Q(learner__patronymic__icontains=word)
            | Q(learner__email__icontains=word)
        )
    certificate = Certificate.objects.filter(
        enrolment_id=OuterRef("pk"), number__icontains=query.strip()
    )
    return condition | Q(Exists(certificate))


class CompletionReportView(SafeSpreadsheetExportMixin, ReportView):
    page_title = _("Completion report")
    header_icon = "tasks"
    index_url_name = URL_NAME
    index_results_url_name = RESULTS_URL_NAME
    filterset_class = CompletionFilterSet
    permission_required = "view"
    paginate_by = 50
    is_searchable = True
    default_ordering = "-enrolled_at"
    verbose_name_plural = _("enrolments")

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(Enrolment)

    def get_filename(self):
        return f"completions-{datetime.date.today():%Y-%m-%d}"

    @cached_property
    def scope(self):
        return scope_of(self.request.user)

    def get_base_queryset(self):
        return self.scope.enrolments(
            completions.with_status_rank(completions.base_queryset())
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(search_q(self.search_query))

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")

    @cached_property
    def quizzes(self) -> list[completions.QuizColumn]:
        course = None
        if self.filters and self.filters.is_valid():
            course = self.filters.form.cleaned_data.get("course")
        courses = [course] if course else CoursePage.objects.live().order_by("path")
        return completions.quiz_columns(courses)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "full_name",
                label=_("Full name"),
                get_url=self.transcript_url,
                sort_key="learner__last_name",
            ),
            RecordColumn(
                "organisation", label=_("Organisation"), sort_key="organisation"
            ),
            RecordColumn("category", label=_("Position category")),
            RecordColumn("oblast", label=_("Oblast"), sort_key="oblast__name"),
            RecordColumn("hromada", label=_("Hromada")),
            Column("course_title", label=_("Course"), sort_key="course__title"),
            Column("status_label", label=_("Status"), sort_key="status_rank"),
            PercentColumn("progress", label=_("Progress")),
            LocalDateColumn("enrolled_at", label=_("Enrolled"), sort_key="enrolled_at"),
            LocalDateColumn(
                "completed_at", label=_("Completed"), sort_key="completed_at"
            ),
            *(
                PercentColumn(
                    quiz.key,
                    label=_("Best: %(quiz)s") % {"quiz": quiz.title},
                    accessor=lambda row, quiz_id=quiz.quiz_id: row.best.get(quiz_id),
                )
                for quiz in self.quizzes
            ),
            CertificateColumn("certificate", label=_("Certificate")),
            *(
                ExtensionColumn(column.key, label=column.label)
                for column in extensions.report_columns()
            ),
        ]

    def transcript_url(self, row) -> str:
        return reverse(TRANSCRIPT_URL_NAME, args=[row.learner.pk])

    def paginate_queryset(self, queryset, page_size):
        """The page's enrolments, as rows (before the table is built)."""
        paginator, page, object_list, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        page.object_list = completions.build_rows(
            list(object_list), request=self.request
        )
        return paginator, page, page.object_list, is_paginated

    # Export ----------------------------------------------------------------

    @property
    def list_export(self):
        # Other apps' columns before the quizzes, whose number varies: the
        # best scores stay the last columns.
        return [
            *EXPORT_HEADINGS,
            *(column.key for column in extensions.report_columns()),
            *(quiz.key for quiz in self.quizzes),
        ]

    @property
    def export_headings(self):
        return {
            **EXPORT_HEADINGS,
            **{
                quiz.key: _("Best score, %%: %(quiz)s") % {"quiz": quiz.title}
                for quiz in self.quizzes
            },
            **{column.key: column.label for column in extensions.report_columns()},
        }

    def export_rows(self, items):
        rows = completions.build_rows(items, request=self.request)
        return [row.export_dict(self.quizzes) for row in rows]

    def as_spreadsheet(self, queryset, spreadsheet_format):
        record_access(
            user=self.request.user,
            action=ReviewAccess.Action.EXPORT_COMPLETIONS,
            subject=spreadsheet_format,
            query=self.request.GET,
            rows=queryset.count(),
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


EXPORT_HEADINGS = {
    "full_name": _("Full name"),
    "organisation": _("Organisation"),
    "position_category": _("Position category"),
    "oblast": _("Oblast"),
    "hromada": _("Hromada"),
    "course": _("Course"),
    "status": _("Status"),
    "progress": _("Progress, %"),
    "enrolled_at": _("Enrolled"),
    "completed_at": _("Completed"),
    "certificate_number": _("Certificate number"),
    "certificate_status": _("Certificate status"),
    "current_organisation": _("Organisation now, if different"),
    "current_oblast": _("Oblast now, if different"),
    "current_hromada": _("Hromada now, if different"),
}


@hooks.register("register_admin_urls")
def register_completion_report_urls():
    return [
        path("reports/completions/", CompletionReportView.as_view(), name=URL_NAME),
        path(
            "reports/completions/results/",
            CompletionReportView.as_view(results_only=True),
            name=RESULTS_URL_NAME,
        ),
    ]


add_to_review_menu(
    _("Completion report"),
    URL_NAME,
    name="completion-report",
    icon="tasks",
    order=100,
    permission=PERMISSION,
)
