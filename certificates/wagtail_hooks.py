"""The admin: the design snippet (moderated like pages; its preview is the
sample PDF) with its sample PDF button, bulk issue, the audit log actions, and
the reviewers' workspace (certificates/reviewing/: the register,
reports, transcripts, bulk verification, statistics), whose modules register
their own hooks when imported here."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates import admin_views
from certificates.issuing import ACTION_ISSUE, ACTION_REISSUE, ACTION_REVOKE
from certificates.models import CertificateDesign
from certificates.reviewing import (  # noqa: F401 - each registers its hooks
    access_log,
    bulk_verify,
    completion_report,
    dashboard,
    menu,
    register,
    statistics,
    transcripts,
)

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
    list_display = [
        "name",
        # «Так»/«Ні»: Wagtail's BooleanColumn names its icons "True"/"False".
        Column(
            "is_current",
            label=capfirst(
                CertificateDesign._meta.get_field("is_current").verbose_name
            ),
            accessor=lambda design: _("Yes") if design.is_current else _("No"),
            sort_key="is_current",
        ),
        "signer_name",
        LiveStatusTagColumn(),  # published, draft, in moderation
    ]

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
    items = (CertificateDesignViewSet, BulkIssueViewSet)


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
