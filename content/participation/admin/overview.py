"""Places and participants of every pilot and event an organiser manages.

One query for the page of rows (the counts are grouped in it) and one to
count them, whatever the number of pages and applications.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from content.participation.admin import scope
from content.participation.admin.permissions import VIEW
from content.participation.models import Application

Status = Application.Status
URL_NAMESPACE = "participation_overview"


def applications_url(page) -> str:
    return (
        reverse("participation_applications:list") + "?" + urlencode({"page": page.pk})
    )


class OverviewView(ReportView):
    page_title = _("Places and participants")
    header_icon = "group"
    index_url_name = f"{URL_NAMESPACE}:index"
    index_results_url_name = f"{URL_NAMESPACE}:index_results"
    permission_required = VIEW
    paginate_by = 50
    default_ordering = "title"
    verbose_name_plural = _("pilots and events")
    model = Application  # for the permission policy

    def get_queryset(self):
        def count(**condition):
            return Count("applications", filter=Q(**condition))

        pages = scope.pages(self.request.user).only(
            "pk", "title", "places", "content_type_id"
        )
        pages = pages.annotate(
            submitted=count(applications__status=Status.SUBMITTED),
            taken=count(applications__status=Status.SELECTED),
            waitlisted=count(applications__status=Status.WAITLISTED),
            declined=count(applications__status=Status.DECLINED),
            withdrawn=count(applications__status=Status.WITHDRAWN),
            attended=count(applications__attended=True),
        )
        return self.order_queryset(pages)

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "pk")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=pgettext_lazy("participation", "Pilot or event"),
                get_url=applications_url,
                sort_key="title",
            ),
            Column(
                "kind",
                label=_("Type"),
                accessor=lambda page: (
                    page.specific_class._meta.verbose_name
                    if page.specific_class
                    else ""
                ),
            ),
            NumberColumn(
                "places",
                label=pgettext_lazy("participation", "Places"),
                sort_key="places",
            ),
            NumberColumn(
                "taken", label=pgettext_lazy("participation", "Taken"), sort_key="taken"
            ),
            NumberColumn(
                "left",
                label=pgettext_lazy("participation", "Left"),
                accessor=lambda page: max(page.places - page.taken, 0),
            ),
            NumberColumn(
                "submitted",
                label=pgettext_lazy("participation", "Under consideration"),
                sort_key="submitted",
            ),
            NumberColumn(
                "waitlisted",
                label=pgettext_lazy("participation", "Waiting list"),
                sort_key="waitlisted",
            ),
            NumberColumn(
                "declined",
                label=pgettext_lazy("participation", "Declined"),
                sort_key="declined",
            ),
            NumberColumn(
                "withdrawn",
                label=pgettext_lazy("participation", "Withdrawn"),
                sort_key="withdrawn",
            ),
            NumberColumn(
                "attended",
                label=pgettext_lazy("participation", "Attended"),
                sort_key="attended",
            ),
        ]
