"""Reports → «Листи»: the outbox as administrators see it (lms/outbox.py).

Every message that waits, is being retried or failed, with the number of
attempts, when the next one is due and the last error the mail server gave;
a failed message can be sent again. Bodies are not shown: they hold
confirmation and reset links that only their addressee may use. Two queries
per page of rows, whatever their number (the last error is a subquery).
"""

import django_filters
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View
from post_office.models import STATUS, Email, Log
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from lms import outbox

URL_NAMESPACE = "outbox"
ACTION_REQUEUE = "lms.email_requeued"
policy = ModelPermissionPolicy(Email)

WAITING, RETRYING, FAILED, SENT = "waiting", "retrying", "failed", "sent"
STATE_CHOICES = [
    (WAITING, pgettext_lazy("e-mail", "Waiting to be sent")),
    (RETRYING, pgettext_lazy("e-mail", "Will be retried")),
    (FAILED, pgettext_lazy("e-mail", "Not delivered")),
    (SENT, pgettext_lazy("e-mail", "Sent")),
]
STATUS_OF_STATE = {
    WAITING: STATUS.queued,
    RETRYING: STATUS.requeued,
    FAILED: STATUS.failed,
    SENT: STATUS.sent,
}
LABEL_OF_STATUS = {STATUS_OF_STATE[key]: label for key, label in STATE_CHOICES}
UNSENT = "unsent"


class OutboxFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(UNSENT, pgettext_lazy("e-mail", "Not sent yet")), *STATE_CHOICES],
        empty_label=_("All"),
        method="filter_state",
    )
    to = django_filters.CharFilter(
        label=_("Recipient"), field_name="to", lookup_expr="icontains"
    )

    class Meta:
        model = Email
        fields = []

    def filter_state(self, queryset, name, value):
        if value == UNSENT:
            return queryset.exclude(status=STATUS.sent)
        return queryset.filter(status=STATUS_OF_STATE[value])


class RetryColumn(Column):
    cell_template_name = "lms/admin/outbox_retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["can_retry"] = (
            instance.status in (STATUS.failed, STATUS.requeued)
            and request is not None
            and policy.user_has_permission(request.user, "change")
        )
        context["retry_url"] = reverse(f"{URL_NAMESPACE}:retry", args=[instance.pk])
        return context


class OutboxReportView(ReportView):
    page_title = _("E-mails")
    header_icon = "mail"
    index_url_name = f"{URL_NAMESPACE}:index"
    index_results_url_name = f"{URL_NAMESPACE}:index_results"
    permission_policy = policy
    permission_required = "view"
    filterset_class = OutboxFilterSet
    model = Email
    paginate_by = 50
    list_export = [
        "created",
        "to_text",
        "subject",
        "status_text",
        "number_of_retries",
        "scheduled_time",
        "last_error",
    ]
    export_headings = {
        "created": _("Written"),
        "to_text": _("Recipient"),
        "subject": _("Subject"),
        "status_text": _("Status"),
        "number_of_retries": _("Failed attempts"),
        "scheduled_time": _("Next attempt"),
        "last_error": _("Last error"),
    }

    def get_queryset(self):
        latest_log = Log.objects.filter(email=OuterRef("pk")).order_by("-date", "-pk")
        return (
            Email.objects.annotate(
                last_error=Subquery(latest_log.values("message")[:1]),
            )
            .defer("message", "html_message", "headers", "context")
            .order_by("-created", "-pk")
        )

    def decorate_paginated_queryset(self, object_list):
        for email in object_list:
            email.to_text = ", ".join(email.to)
            email.status_text = LABEL_OF_STATUS.get(email.status, "")
        return object_list

    @cached_property
    def columns(self):
        return [
            DateColumn("created", label=_("Written")),
            Column("to_text", label=_("Recipient")),
            Column("subject", label=_("Subject")),
            Column("status_text", label=_("Status")),
            Column("number_of_retries", label=_("Failed attempts")),
            DateColumn("scheduled_time", label=_("Next attempt")),
            Column("last_error", label=_("Last error")),
            RetryColumn("retry", label=_("Actions")),
        ]


class RetryView(View):
    """POST: a failed (or waiting) message is sent again from the start."""

    def post(self, request, pk):
        if not policy.user_has_permission(request.user, "change"):
            return permission_denied(request)
        email = get_object_or_404(
            Email, pk=pk, status__in=(STATUS.failed, STATUS.requeued)
        )
        outbox.requeue(email)
        log(
            instance=email,
            action=ACTION_REQUEUE,
            user=request.user,
            title=", ".join(email.to),
        )
        messages.success(
            request,
            _("The e-mail to %(to)s will be sent again.") % {"to": ", ".join(email.to)},
        )
        return redirect(f"{URL_NAMESPACE}:index")


class OutboxMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.user_has_permission(request.user, "view")


class OutboxViewSet(ViewSet):
    name = URL_NAMESPACE
    url_prefix = "reports/emails"
    url_namespace = URL_NAMESPACE
    icon = "mail"
    menu_label = _("E-mails")
    menu_name = "outbox"
    menu_item_class = OutboxMenuItem
    add_to_admin_menu = False

    def get_urlpatterns(self):
        return [
            path("", OutboxReportView.as_view(), name="index"),
            path(
                "results/",
                OutboxReportView.as_view(results_only=True),
                name="index_results",
            ),
            path("<int:pk>/retry/", RetryView.as_view(), name="retry"),
        ]

    def get_menu_item(self, order=None):
        return OutboxMenuItem(
            self.menu_label,
            reverse(f"{URL_NAMESPACE}:index"),
            name=self.menu_name,
            icon_name=self.icon,
            order=order or 9000,
        )
