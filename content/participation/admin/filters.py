"""Filters and search of the applications listing (and of its export)."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from content.participation.admin import records, scope
from content.participation.admin.records import COURSE_STATUS_CHOICES
from content.participation.models import Application, ParticipationPage, Sector
from lms.names import normalise_name

YES, NO, UNMARKED = "yes", "no", "unmarked"


class ApplicationFilterSet(WagtailFilterSet):
    page = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("participation", "Pilot or event"),
        queryset=ParticipationPage.objects.none(),
        empty_label=_("All pilots and events"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Application.Status.choices,
        empty_label=_("All"),
    )
    sector = django_filters.ChoiceFilter(
        label=pgettext_lazy("participation", "Sector"),
        choices=Sector.choices,
        empty_label=_("All"),
    )
    course_now = django_filters.ChoiceFilter(
        label=_("Course status now"),
        choices=COURSE_STATUS_CHOICES,
        empty_label=_("All"),
    )
    has_certificate = django_filters.ChoiceFilter(
        label=_("Valid certificate"),
        choices=[(YES, _("Has one")), (NO, _("Has none"))],
        method="filter_has_certificate",
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    attended = django_filters.ChoiceFilter(
        label=pgettext_lazy("participation", "Attendance"),
        choices=[
            (YES, pgettext_lazy("participation", "Attended")),
            (NO, pgettext_lazy("participation", "Absent")),
            (UNMARKED, pgettext_lazy("participation", "Not marked")),
        ],
        method="filter_attended",
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    submitted = django_filters.DateFromToRangeFilter(
        label=pgettext_lazy("participation", "Submitted"),
        field_name="submitted_at",
        widget=DateRangePickerWidget,
    )

    class Meta:
        model = Application
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        pages = ParticipationPage.objects.only("pk", "title", "places").order_by(
            "title", "pk"
        )
        if request is not None:
            pages = scope.pages(request.user, pages)
        self.filters["page"].queryset = pages

    def filter_has_certificate(self, queryset, name, value):
        if value == YES:
            return queryset.filter(certificate_now_id__isnull=False)
        if value == NO:
            return queryset.filter(certificate_now_id__isnull=True)
        return queryset

    def filter_attended(self, queryset, name, value):
        if value == YES:
            return queryset.filter(attended=True)
        if value == NO:
            return queryset.filter(attended=False)
        if value == UNMARKED:
            return queryset.filter(attended__isnull=True)
        return queryset


def search(queryset: QuerySet, query: str) -> QuerySet:
    """Every word in the applicant's name, e-mail or the organisation."""
    condition = Q()
    for word in query.split():
        name_word = normalise_name(word)
        condition &= (
            Q(applicant__last_name__icontains=name_word)
            | Q(applicant__first_name__icontains=name_word)
            | Q(applicant__patronymic__icontains=name_word)
            | Q(applicant__email__icontains=word)
            | Q(organisation__icontains=word)
        )
    return queryset.filter(condition)


def listing_queryset(request) -> QuerySet:
    """The listing's rows for this request: scope, filters and search."""
    queryset = records.with_records(scope.applications(request.user))
    filterset = ApplicationFilterSet(request.GET, queryset=queryset, request=request)
    if filterset.is_valid():
        queryset = filterset.filter_queryset(queryset)
    query = request.GET.get("q", "").strip()
    return search(queryset, query) if query else queryset
