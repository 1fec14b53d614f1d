"""Pilot participation in the reviewers' workspace.

``connect()`` (called from ``ContentConfig.ready()``) extends the workspace of
``certificates.reviewing`` through its registry, since that app does not
import this one:

- the completion report gets the columns «Участь у пілотах» (pilots where the
  learner was selected) and «Відвідані заходи» (events they attended), in its
  export too, and the filter «Учасник пілоту» (так / ні);
- the transcript gets the section «Пілоти та заходи»: every application of
  the learner with its status, decision and attendance;
- the reviewers' menu gets the report «Пілоти і заходи: від навчання до
  участі»: for each pilot and event, how many learners completed its course,
  applied, were selected and attended.

**Where an applicant is counted.** The workspace counts learners by the
oblast recorded on their enrolment (``certificates.reviewing.scope``). An
applicant to a page is counted where their enrolment in the page's course is
recorded (in any course when the page names none); an applicant who has no
such enrolment is counted by the oblast of their profile. The same rule
limits a regional reviewer (``User.review_oblasts``) and the report's oblast
filter, in the columns, the filter, the transcript and the report alike.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, Table
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from certificates.reviewing import extensions
from certificates.reviewing.completion_report import PERMISSION
from certificates.reviewing.menu import add_to_review_menu
from certificates.reviewing.scope import Scope, scope_of
from content.participation.models import (
    Application,
    EventPage,
    ParticipationPage,
    PilotPage,
)
from courses.models import Enrolment
from lms.models import Oblast
from lms.spreadsheets import SafeSpreadsheetExportMixin

Status = Application.Status
URL_NAME = "review_participation_funnel"
RESULTS_URL_NAME = "review_participation_funnel_results"
DECISIONS = (Status.SELECTED, Status.WAITLISTED, Status.DECLINED)


def pilot_type_id() -> int:
    """The content type of pilots (cached by Django after the first read)."""
    return ContentType.objects.get_for_model(PilotPage, for_concrete_model=True).pk


def event_type_id() -> int:
    return ContentType.objects.get_for_model(EventPage, for_concrete_model=True).pk


# -- where an applicant is counted ---------------------------------------------


def in_oblasts(oblast_ids: Iterable[int] | None, *, applicant: str = "applicant") -> Q:
    """Applications whose applicant is counted in ``oblast_ids`` (None: anywhere).

    By the enrolment in the page's course (any course if the page names
    none); by the profile's oblast when there is no such enrolment.
    """
    if oblast_ids is None:
        return Q()
    oblast_ids = list(oblast_ids)
    learner = OuterRef(f"{applicant}_id")
    in_course = Enrolment.objects.filter(
        learner_id=learner, course_id=OuterRef("page__course_id")
    )
    in_any = Enrolment.objects.filter(learner_id=learner)
    by_profile = Q(**{f"{applicant}__oblast_id__in": oblast_ids})
    return Q(page__course_id__isnull=False) & (
        Exists(in_course.filter(oblast_id__in=oblast_ids))
        | (~Exists(in_course) & by_profile)
    ) | Q(page__course_id__isnull=True) & (
        Exists(in_any.filter(oblast_id__in=oblast_ids)) | (~Exists(in_any) & by_profile)
    )


def scoped_applications(scope: Scope) -> QuerySet:
    return Application.objects.filter(in_oblasts(scope.oblast_ids))


# -- the completion report: columns and a filter --------------------------------


def _titles_by_enrolment(
    enrolments: Sequence[Enrolment], applications: QuerySet
) -> dict[int, list[str]]:
    """Page titles of the learners' applications, per enrolment (one query)."""
    learner_ids = {enrolment.learner_id for enrolment in enrolments}
    titles: dict[int, list[str]] = defaultdict(list)
    rows = (
        applications.filter(applicant_id__in=learner_ids)
        .order_by("page__title", "page_id")
        .values_list("applicant_id", "page__title")
    )
    for applicant_id, title in rows:
        titles[applicant_id].append(title)
    return {
        enrolment.pk: titles.get(enrolment.learner_id, []) for enrolment in enrolments
    }


def pilot_participation(enrolments, scope: Scope) -> dict[int, list[str]]:
    """The pilots each learner was selected for."""
    return _titles_by_enrolment(
        enrolments,
        scoped_applications(scope).filter(
            status=Status.SELECTED, page__content_type_id=pilot_type_id()
        ),
    )


def events_attended(enrolments, scope: Scope) -> dict[int, list[str]]:
    """The events each learner was marked as having attended."""
    return _titles_by_enrolment(
        enrolments,
        scoped_applications(scope).filter(
            status=Status.SELECTED,
            attended=True,
            page__content_type_id=event_type_id(),
        ),
    )


PILOT_PARTICIPANT_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


def narrow_to_pilot_participants(queryset: QuerySet, value: str, scope: Scope):
    """Enrolments of learners selected (``yes``) or never selected for a pilot."""
    selected = scoped_applications(scope).filter(
        applicant_id=OuterRef("learner_id"),
        status=Status.SELECTED,
        page__content_type_id=pilot_type_id(),
    )
    if value == "yes":
        return queryset.filter(Exists(selected))
    if value == "no":
        return queryset.filter(~Exists(selected))
    return queryset


# -- the transcript ---------------------------------------------------------------


def transcript_rows(learner, scope: Scope) -> list[list]:
    """Every application of the learner, oldest first (one query)."""
    pilot = pilot_type_id()
    applications = (
        scoped_applications(scope)
        .filter(applicant_id=learner.pk)
        .select_related("page")
        .only(
            "pk",
            "status",
            "submitted_at",
            "status_changed_at",
            "attended",
            "page__title",
            "page__content_type_id",
            "page__course_id",
        )  # fmt: skip
        .order_by("submitted_at", "pk")
    )
    rows = []
    for application in applications:
        is_pilot = application.page.content_type_id == pilot
        rows.append(
            [
                application.page.title,
                gettext("Pilot") if is_pilot else gettext("Event"),
                application.submitted_at,
                application.get_status_display(),
                application.status_changed_at
                if application.status in DECISIONS
                else None,
                None if is_pilot else application.attended,
            ]
        )
    return rows


# -- the report: from learning to participation -----------------------------------


@dataclass
class FunnelRow:
    """One pilot or event (or the total) as the report shows it."""

    title: str
    kind: str
    course: str
    completed: int
    applied: int
    selected: int
    attended: int | None  # None for pilots: attendance is marked for events
    is_total: bool = False

    def export_dict(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "course": self.course,
            "completed": self.completed,
            "applied": self.applied,
            "selected": self.selected,
            "attended": self.attended,
        }


APPLIED = pgettext_lazy("participation report", "Applied")
SELECTED = pgettext_lazy("participation report", "Selected")
ATTENDED = pgettext_lazy("participation report", "Attended")


class Kind:
    PILOT = "pilot"
    EVENT = "event"
    CHOICES = [(PILOT, _("Pilots")), (EVENT, _("Events"))]


def application_counts(applications: QuerySet, *, group: bool) -> QuerySet | dict:
    """Applied (not withdrawn), selected and attended: grouped by page or in all."""
    counts = {
        "applied": Count("pk", filter=~Q(status=Status.WITHDRAWN)),
        "selected": Count("pk", filter=Q(status=Status.SELECTED)),
        "attended": Count(
            "pk",
            filter=Q(
                status=Status.SELECTED,
                attended=True,
                page__content_type_id=event_type_id(),
            ),
        ),
    }
    if group:
        return applications.values("page_id").annotate(**counts).order_by()
    return applications.aggregate(**counts)


def completed_enrolments(oblast_ids) -> QuerySet:
    enrolments = Enrolment.objects.filter(completed_at__isnull=False)
    if oblast_ids is not None:
        enrolments = enrolments.filter(oblast_id__in=oblast_ids)
    return enrolments


def funnel_rows(pages: Sequence[ParticipationPage], oblast_ids) -> list[FunnelRow]:
    """A row per page: three grouped queries at most, whatever the pages."""
    if not pages:
        return []
    course_ids = {page.course_id for page in pages if page.course_id}
    completed_by_course = {}
    if course_ids:
        completed_by_course = dict(
            completed_enrolments(oblast_ids)
            .filter(course_id__in=course_ids)
            .values("course_id")
            .annotate(learners=Count("learner_id", distinct=True))
            .order_by()
            .values_list("course_id", "learners")
        )
    completed_any = 0
    if any(page.course_id is None for page in pages):
        completed_any = completed_enrolments(oblast_ids).aggregate(
            learners=Count("learner_id", distinct=True)
        )["learners"]
    applications = {
        row["page_id"]: row
        for row in application_counts(
            Application.objects.filter(
                in_oblasts(oblast_ids), page_id__in=[page.pk for page in pages]
            ),
            group=True,
        )
    }
    pilot = pilot_type_id()
    rows = []
    for page in pages:
        counts = applications.get(page.pk, {})
        is_pilot = page.content_type_id == pilot
        rows.append(
            FunnelRow(
                title=page.title,
                kind=gettext("Pilot") if is_pilot else gettext("Event"),
                course=page.course.title if page.course_id else gettext("Any course"),
                completed=completed_by_course.get(page.course_id, 0)
                if page.course_id
                else completed_any,
                applied=counts.get("applied", 0),
                selected=counts.get("selected", 0),
                attended=None if is_pilot else counts.get("attended", 0),
            )
        )
    return rows


def funnel_total(pages: QuerySet, oblast_ids) -> FunnelRow:
    """The total of every page ``pages`` selects (two queries).

    Applications are added up; learners who completed a course are counted
    once, however many of the pages share it.
    """
    page_courses = pages.order_by().values("course_id")
    completed = (
        completed_enrolments(oblast_ids)
        .filter(
            Q(course_id__in=page_courses.filter(course_id__isnull=False))
            | Exists(pages.order_by().filter(course_id__isnull=True))
        )
        .aggregate(learners=Count("learner_id", distinct=True))["learners"]
    )
    counts = application_counts(
        Application.objects.filter(
            in_oblasts(oblast_ids), page_id__in=pages.order_by().values("pk")
        ),
        group=False,
    )
    return FunnelRow(
        title=gettext("Total"),
        kind="",
        course="",
        completed=completed,
        applied=counts["applied"],
        selected=counts["selected"],
        attended=counts["attended"],
        is_total=True,
    )


class FunnelFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Pilots or events"),
        choices=Kind.CHOICES,
        method="filter_kind",
        empty_label=_("Pilots and events"),
    )
    oblast = django_filters.ModelChoiceFilter(
        label=_("Oblast"),
        queryset=Oblast.objects.all(),
        empty_label=_("All oblasts"),
        method="count_in_oblast",
    )

    class Meta:
        model = ParticipationPage
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["oblast"].queryset = scope_of(request.user).oblasts(
            Oblast.objects.all()
        )

    def filter_kind(self, queryset, name, value):
        if value == Kind.PILOT:
            return queryset.filter(content_type_id=pilot_type_id())
        if value == Kind.EVENT:
            return queryset.filter(content_type_id=event_type_id())
        return queryset

    def count_in_oblast(self, queryset, name, value):
        # The oblast limits who is counted, not which pages are listed.
        return queryset


class FunnelTable(Table):
    def get_row_classname(self, instance):
        return "participation-funnel__total" if instance.is_total else ""


class CountColumn(Column):
    """A number; «—» where it does not apply (attendance of a pilot)."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return "—" if value is None else value


class ParticipationFunnelView(SafeSpreadsheetExportMixin, ReportView):
    """Per pilot and event: completed the course → applied → selected → attended."""

    page_title = _("Pilots and events: from learning to participation")
    header_icon = "group"
    index_url_name = URL_NAME
    index_results_url_name = RESULTS_URL_NAME
    results_template_name = "content/participation/reviewing/funnel_results.html"
    filterset_class = FunnelFilterSet
    table_class = FunnelTable
    permission_required = "view"
    paginate_by = 100
    default_ordering = "title"
    verbose_name_plural = _("pilots and events")

    list_export = [
        "title", "kind", "course", "completed", "applied", "selected", "attended",
    ]  # fmt: skip
    export_headings = {
        "title": _("Pilot or event"),
        "kind": _("Kind"),
        "course": _("Course"),
        "completed": _("Completed the course"),
        "applied": APPLIED,
        "selected": SELECTED,
        "attended": ATTENDED,
    }

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(Enrolment)

    def get_filename(self):
        return f"participation-funnel-{datetime.date.today():%Y-%m-%d}"

    @cached_property
    def scope(self) -> Scope:
        return scope_of(self.request.user)

    @cached_property
    def oblast_ids(self) -> frozenset[int] | None:
        """Whose numbers count: the reviewer's scope, narrowed by the filter.

        The filter offers only oblasts in scope; any other is an invalid
        choice, and an invalid filter set is ignored, so it cannot widen it.
        """
        chosen = None
        if self.filters and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("oblast")
        if chosen is None:
            return self.scope.oblast_ids
        return frozenset({chosen.pk})

    def get_base_queryset(self):
        return ParticipationPage.objects.select_related("course").only(
            "pk", "title", "content_type_id", "course_id", "course__title"
        )

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "pk")

    @cached_property
    def columns(self):
        return [
            Column("title", label=_("Pilot or event"), sort_key="title"),
            Column("kind", label=_("Kind")),
            Column("course", label=_("Course")),
            CountColumn("completed", label=_("Completed the course")),
            CountColumn("applied", label=APPLIED),
            CountColumn("selected", label=SELECTED),
            CountColumn("attended", label=ATTENDED),
        ]

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "caption": self.page_title}

    def paginate_queryset(self, queryset, page_size):
        """The page's pilots and events as rows, and the total of all of them."""
        paginator, page, object_list, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        rows = funnel_rows(list(object_list), self.oblast_ids)
        if rows:
            rows.append(funnel_total(queryset, self.oblast_ids))
        page.object_list = rows
        return paginator, page, rows, is_paginated

    # Export ------------------------------------------------------------------

    def export_rows(self, items):
        return [row.export_dict() for row in funnel_rows(items, self.oblast_ids)]

    def iter_export_rows(self, queryset):
        yield from super().iter_export_rows(queryset)
        if queryset.exists():
            yield funnel_total(queryset, self.oblast_ids).export_dict()


def register_urls():
    return [
        path(
            "reports/participation/",
            ParticipationFunnelView.as_view(),
            name=URL_NAME,
        ),
        path(
            "reports/participation/results/",
            ParticipationFunnelView.as_view(results_only=True),
            name=RESULTS_URL_NAME,
        ),
    ]


# -- wiring ---------------------------------------------------------------------


def connect() -> None:
    """Registers the column, filter and transcript section of participation,
    and the report with its item in the reviewers' menu."""
    extensions.register_report_column(
        extensions.ReportColumn(
            key="pilots",
            label=_("Taking part in pilots"),
            values=pilot_participation,
            order=100,
        )
    )
    extensions.register_report_column(
        extensions.ReportColumn(
            key="events_attended",
            label=_("Events attended"),
            values=events_attended,
            order=110,
        )
    )
    extensions.register_report_filter(
        extensions.ReportFilter(
            name="pilot_participant",
            label=_("Pilot participant"),
            choices=PILOT_PARTICIPANT_CHOICES,
            narrow=narrow_to_pilot_participants,
            order=100,
        )
    )
    extensions.register_transcript_section(
        extensions.TranscriptSection(
            key="participation",
            title=_("Pilots and events"),
            headings=[
                _("Pilot or event"),
                _("Kind"),
                pgettext_lazy("transcript", "Submitted"),
                _("Status"),
                _("Decision date"),
                pgettext_lazy("transcript", "Attendance"),
            ],
            rows=transcript_rows,
            empty_text=_("No applications to pilots or events."),
            order=100,
        )
    )
    hooks.register("register_admin_urls", register_urls)
    add_to_review_menu(
        _("Pilots and events: from learning to participation"),
        URL_NAME,
        name="participation-funnel",
        icon="group",
        order=150,
        permission=PERMISSION,
    )
