"""The register of issued certificates in the admin: read-only, for reviewers.

A Wagtail ``ModelViewSet`` with no add, edit, copy or delete view (the
permission policy refuses them too): the list with filters, search and a
spreadsheet export, the inspect page, the audit history, the PDF, and the
administrators' revoke and re-issue. Every list, page and export goes through
the reviewer's regional scope; exports are written to the access log.
"""

import datetime

import django_filters
from django import forms
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from certificates import admin_views
from certificates.models import Certificate, CertificateCounter
from certificates.reviewing.access import record_access
from certificates.reviewing.columns import LocalDateColumn
from certificates.reviewing.menu import add_to_review_menu
from certificates.reviewing.models import ReviewAccess
from certificates.reviewing.scope import scope_of
from courses.models import CoursePage
from lms.models import Oblast
from lms.spreadsheets import SafeSpreadsheetExportMixin


def _years():
    """Years with certificates, from the per-year counters: no scan of the register."""
    years = CertificateCounter.objects.filter(last_number__gt=0).order_by("-year")
    return [(year, str(year)) for year in years.values_list("year", flat=True)]


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=Certificate.Status.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    year = django_filters.ChoiceFilter(
        label=_("year"), choices=_years, empty_label=_("All")
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=CoursePage.objects.order_by("title"),
        empty_label=_("All courses"),
    )
    oblast = django_filters.ModelChoiceFilter(
        label=_("Oblast"),
        field_name="enrolment__oblast",
        queryset=Oblast.objects.all(),
        empty_label=_("All oblasts"),
    )
    issued = django_filters.DateFromToRangeFilter(
        label=_("Issued"), field_name="issued_on", widget=DateRangePickerWidget
    )

    class Meta:
        model = Certificate
        fields = ["status", "year"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["oblast"].queryset = scope_of(request.user).oblasts(
                Oblast.objects.all()
            )


def _action_buttons(user, certificate, *, button_class):
    """Download, history, revoke and re-issue, for those allowed to."""
    buttons = [
        button_class(
            _("History"),
            url=reverse("certificate_register:history", args=[certificate.pk]),
            icon_name="history",
            priority=20,
        )
    ]
    if user.has_perm("certificates.download_any_certificate"):
        buttons.append(
            button_class(
                _("Download PDF"),
                url=certificate.download_url,
                icon_name="download",
                priority=30,
            )
        )
    if not certificate.is_valid:
        return buttons
    if user.has_perm("certificates.revoke_certificate"):
        buttons.append(
            button_class(
                _("Revoke"),
                url=reverse("certificate_register:revoke", args=[certificate.pk]),
                icon_name="cross",
                priority=40,
            )
        )
    if user.has_perm("certificates.reissue_certificate"):
        buttons.append(
            button_class(
                _("Re-issue"),
                url=reverse("certificate_register:reissue", args=[certificate.pk]),
                icon_name="repeat",
                priority=50,
            )
        )
    return buttons


class ScopedMixin:
    """The certificates of the reviewer's oblasts only, on every view."""

    def get_base_queryset(self):
        return scope_of(self.request.user).certificates(super().get_base_queryset())


class CertificateIndexView(ScopedMixin, SafeSpreadsheetExportMixin, IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.is_export:
            queryset = queryset.select_related("enrolment__oblast")
        return queryset

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *_action_buttons(self.request.user, instance, button_class=Button),
        ]

    def get_filename(self):
        return f"certificate-register-{datetime.date.today():%Y-%m-%d}"

    def to_row_dict(self, item):
        return {
            "number": item.number,
            "holder_name": item.holder_name,
            "course_title": item.course_title,
            "programme_code": item.programme_code,
            "hours": item.hours,
            "credits": item.credits,
            "completed_on": item.completed_on,
            "issued_on": item.issued_on,
            "status": item.get_status_display(),
            "oblast": str(item.enrolment.oblast or ""),
            "verification_url": item.verification_url,
        }

    def as_spreadsheet(self, queryset, spreadsheet_format):
        record_access(
            user=self.request.user,
            action=ReviewAccess.Action.EXPORT_REGISTER,
            subject=spreadsheet_format,
            query=self.request.GET,
            rows=queryset.count(),
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


def _scoped(request):
    return scope_of(request.user).certificates(Certificate.objects.all())


class CertificateInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(_scoped(self.request), pk=unquote(str(self.pk)))

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *_action_buttons(self.request.user, self.object, button_class=Button),
        ]

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return display(value, field_name)


def display(value, field_name: str = ""):
    """A value as a person reads it: names, Так/Ні, dates in Kyiv time."""
    if value is None or value == "":
        if field_name == "issued_by":
            return _("automatically, on completing the course")
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "d.m.Y")
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or value.email
    return value


class CertificateHistoryView(HistoryView):
    """The audit trail is for everyone who may view the register."""

    any_permission_required = ["view"]

    def get_base_object_queryset(self):
        return _scoped(self.request)


class CertificateViewSet(ModelViewSet):
    """The register: read-only; changes go through revoke and re-issue."""

    model = Certificate
    name = "certificate_register"
    url_prefix = "certificates/register"
    icon = "doc-full"
    menu_label = _("Certificate register")
    add_to_admin_menu = False  # in the reviewers' menu group
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    history_view_class = CertificateHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "number",
        "holder_name",
        "course_title",
        LocalDateColumn("completed_on", label=_("completed on")),
        LocalDateColumn("issued_on", label=_("issued on")),
        Column("status", label=_("status"), accessor="get_status_display"),
    ]
    list_export = [
        "number", "holder_name", "course_title", "programme_code", "hours",
        "credits", "completed_on", "issued_on", "status", "oblast",
        "verification_url",
    ]  # fmt: skip
    export_headings = {
        "number": _("number"),
        "holder_name": _("holder's full name"),
        "course_title": _("programme title"),
        "programme_code": _("programme code"),
        "hours": _("volume in hours"),
        "credits": _("ECTS credits"),
        "completed_on": _("completed on"),
        "issued_on": _("issued on"),
        "status": _("status"),
        "oblast": _("Oblast"),
        "verification_url": _("verification address"),
    }
    filterset_class = CertificateFilterSet
    search_fields = ["number", "holder_name", "course_title"]
    search_backend_name = None
    ordering = ["-year", "-serial"]
    inspect_view_fields = [
        "number", "status", "holder_name", "course_title", "programme_code",
        "hours", "credits", "provider_name", "completed_on", "issued_on",
        "issued_at", "issued_by", "signer_name", "signer_position", "signed",
        "pdf_sha256", "revoked_at", "revoked_by", "revocation_reason",
        "superseded_by", "superseded_at",
    ]  # fmt: skip

    def get_common_view_kwargs(self, **kwargs):
        # Links that would lead to editing lead to the read-only page instead.
        return super().get_common_view_kwargs(
            **{
                "edit_url_name": self.get_url_name("inspect"),
                "add_url_name": None,
                "delete_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        # No add, edit, copy or delete views at all; the permission policy
        # refuses them too.
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
            path(f"history/<{conv}:pk>/", self.history_view, name="history"),
            path(
                f"history-results/<{conv}:pk>/",
                self.history_results_view,
                name="history_results",
            ),
            path(f"usage/<{conv}:pk>/", self.usage_view, name="usage"),
            path("revoke/<int:pk>/", admin_views.RevokeView.as_view(), name="revoke"),
            path(
                "reissue/<int:pk>/", admin_views.ReissueView.as_view(), name="reissue"
            ),
        ]


@hooks.register("register_admin_viewset")
def register_certificate_register():
    return CertificateViewSet()


add_to_review_menu(
    _("Certificate register"),
    "certificate_register:index",
    name="certificate-register",
    icon="doc-full",
    order=200,
    permission="certificates.view_certificate",
)
