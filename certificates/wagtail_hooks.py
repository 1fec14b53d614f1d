"""The admin: the register (read-only, with revoke and re-issue), the design
snippet with its sample PDF, bulk issue, and the audit log actions."""

import django_filters
from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates import admin_views
from certificates.issuing import ACTION_ISSUE, ACTION_REISSUE, ACTION_REVOKE
from certificates.models import Certificate, CertificateDesign

# Register --------------------------------------------------------------------


def _years():
    years = Certificate.objects.order_by("-year").values_list("year", flat=True)
    return [(year, str(year)) for year in years.distinct()]


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

    class Meta:
        model = Certificate
        fields = ["status", "year"]


def _action_buttons(user, certificate, *, button_class):
    """Download, revoke and re-issue, for those allowed to."""
    buttons = []
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


class CertificateIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *_action_buttons(self.request.user, instance, button_class=Button),
        ]


class CertificateInspectView(InspectView):
    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *_action_buttons(self.request.user, self.object, button_class=Button),
        ]


class CertificateHistoryView(HistoryView):
    """The audit trail is for everyone who may view the register."""

    any_permission_required = ["view"]


class CertificateViewSet(ModelViewSet):
    """The register: read-only; changes go through revoke and re-issue."""

    model = Certificate
    name = "certificate_register"
    url_prefix = "certificates/register"
    icon = "doc-full"
    menu_label = _("Certificate register")
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    history_view_class = CertificateHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "number",
        "holder_name",
        "course_title",
        DateColumn("completed_on", label=_("completed on")),
        DateColumn("issued_on", label=_("issued on")),
        Column("status", label=_("status"), accessor="get_status_display"),
    ]
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


# Design ----------------------------------------------------------------------


def _sample_button(user, design, button_class):
    if not user.has_perm("certificates.change_certificatedesign"):
        return []
    return [
        button_class(
            _("Preview PDF with sample data"),
            url=reverse("certificate_design:sample_pdf", args=[design.pk]),
            icon_name="doc-full",
            priority=5,
            attrs={"target": "_blank", "rel": "noopener"},
        )
    ]


class DesignIndexView(SnippetIndexView):
    def get_list_more_buttons(self, instance):
        return [
            *_sample_button(self.request.user, instance, Button),
            *super().get_list_more_buttons(instance),
        ]


class DesignEditView(SnippetEditView):
    @cached_property
    def header_more_buttons(self):
        return [
            *_sample_button(self.request.user, self.object, Button),
            *super().header_more_buttons,
        ]


class CertificateDesignViewSet(SnippetViewSet):
    model = CertificateDesign
    # SnippetViewSet takes its URL namespace and prefix from these two.
    admin_url_namespace = "certificate_design"
    base_url_path = "certificates/designs"
    icon = "form"
    menu_label = _("Certificate design")
    index_view_class = DesignIndexView
    edit_view_class = DesignEditView
    list_display = ["name", "is_current", "signer_name"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "sample-pdf/<int:pk>/",
                admin_views.design_sample_pdf_view,
                name="sample_pdf",
            ),
        ]


# Bulk issue ------------------------------------------------------------------


class PermissionMenuItem(MenuItem):
    permission = "certificates.issue_certificates_in_bulk"

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class BulkIssueViewSet(ViewSet):
    name = "certificate_bulk_issue"
    url_prefix = "certificates/bulk"
    icon = "doc-full-inverse"
    menu_label = _("Issue certificates in bulk")
    menu_item_class = PermissionMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.BulkIssueView.as_view(), name="index"),
            path("<int:pk>/", admin_views.BulkJobView.as_view(), name="job"),
        ]


class CertificatesGroup(ViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 250
    items = (CertificateViewSet, CertificateDesignViewSet, BulkIssueViewSet)


@hooks.register("register_admin_viewset")
def register_certificates_viewsets():
    return CertificatesGroup()


# Audit log -------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    @actions.register_action(ACTION_ISSUE)
    class IssueFormatter(LogFormatter):
        label = _("Issue certificate")
        message = _("Certificate issued")

    @actions.register_action(ACTION_REVOKE)
    class RevokeFormatter(LogFormatter):
        label = _("Revoke certificate")

        def format_message(self, log_entry):
            return _("Certificate revoked: %(reason)s") % {
                "reason": log_entry.data.get("reason", "")
            }

        def format_comment(self, log_entry):
            return log_entry.data.get("reason", "")

    @actions.register_action(ACTION_REISSUE)
    class ReissueFormatter(LogFormatter):
        label = _("Re-issue certificate")

        def format_message(self, log_entry):
            return _("Superseded by certificate %(number)s") % {
                "number": log_entry.data.get("new_number", "?")
            }
