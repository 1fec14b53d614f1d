"""The access log as a report for administrators: who read whose records."""

import datetime

import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from certificates.reviewing.columns import LocalDateColumn
from certificates.reviewing.models import ReviewAccess
from lms.spreadsheets import SafeSpreadsheetExportMixin

URL_NAME = "review_access_log"
RESULTS_URL_NAME = "review_access_log_results"
PERMISSION = "certificates.view_reviewaccess"


class AccessFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("What"), choices=ReviewAccess.Action.choices, empty_label=_("All")
    )
    at = django_filters.DateFromToRangeFilter(
        label=_("When"), widget=DateRangePickerWidget
    )
    user__email = django_filters.CharFilter(
        label=_("By (e-mail)"), lookup_expr="icontains"
    )

    class Meta:
        model = ReviewAccess
        fields = []


class AccessLogView(SafeSpreadsheetExportMixin, ReportView):
    page_title = _("Reviewers' access log")
    header_icon = "view"
    index_url_name = URL_NAME
    index_results_url_name = RESULTS_URL_NAME
    filterset_class = AccessFilterSet
    permission_required = "view"
    paginate_by = 50
    list_export = ["at", "user", "action", "learner", "subject", "filters", "rows"]
    export_headings = {
        "at": _("when"),
        "user": _("by"),
        "action": _("what"),
        "learner": _("whose records"),
        "subject": _("object"),
        "filters": _("filters"),
        "rows": _("rows"),
    }

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(ReviewAccess)

    def get_base_queryset(self):
        return ReviewAccess.objects.select_related("user", "learner")

    def get_filename(self):
        return f"review-access-{datetime.date.today():%Y-%m-%d}"

    @cached_property
    def columns(self):
        return [
            LocalDateColumn("at", label=_("when"), date_format="d.m.Y H:i"),
            Column("user", label=_("by"), accessor=_person("user")),
            Column("action", label=_("what"), accessor="get_action_display"),
            Column("learner", label=_("whose records"), accessor=_person("learner")),
            Column("subject", label=_("object")),
            Column("filters", label=_("filters"), accessor=_filters),
            Column("rows", label=_("rows")),
        ]

    def to_row_dict(self, item):
        return {
            "at": item.at,
            "user": _person("user")(item),
            "action": item.get_action_display(),
            "learner": _person("learner")(item),
            "subject": item.subject,
            "filters": _filters(item),
            "rows": item.rows,
        }


def _person(name: str):
    def value(entry) -> str:
        person = getattr(entry, name)
        if person is None:
            return ""
        return f"{person.get_full_name()} <{person.email}>".strip()

    return value


def _filters(entry) -> str:
    return "; ".join(f"{key}={value}" for key, value in sorted(entry.filters.items()))


class AccessLogMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_urls")
def register_access_log_urls():
    return [
        path("reports/review-access/", AccessLogView.as_view(), name=URL_NAME),
        path(
            "reports/review-access/results/",
            AccessLogView.as_view(results_only=True),
            name=RESULTS_URL_NAME,
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_access_log_menu_item():
    return AccessLogMenuItem(
        _("Reviewers' access log"), reverse(URL_NAME), icon_name="view", order=950
    )
