"""The statistics page, its admin URL and its item in the reviewers' menu."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy

from certificates.reviewing.menu import add_to_review_menu
from certificates.reviewing.scope import scope_of
from certificates.reviewing.statistics import charts
from certificates.reviewing.statistics.filters import Choice, StatisticsForm
from certificates.reviewing.statistics.period import Period
from certificates.reviewing.statistics.selectors import Statistics, gather_statistics
from courses.models import Enrolment

URL_NAME = "review_statistics"
PERMISSION = "courses.view_enrolment"


def draw_charts(statistics: Statistics, choice: Choice) -> dict:
    return {
        "months": charts.months_chart(months=statistics.months, period=choice.period),
        "oblasts": charts.oblasts_chart(oblasts=statistics.oblasts),
        "funnel": charts.funnel_chart(funnel=statistics.funnel),
        "quizzes": charts.quizzes_chart(
            quizzes=statistics.quizzes, with_course=choice.course is None
        ),
    }


class StatisticsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """The statistics page: read-only, for those who may view enrolments."""

    template_name = "certificates/reviewing/statistics.html"
    page_title = _("Completion statistics")
    header_icon = "table"
    permission_required = "view"

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(Enrolment)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        default = Period.default()
        form = StatisticsForm(
            self.request.GET or None,
            initial={"date_from": default.start, "date_to": default.end},
        )
        choice = Choice.from_form(form)
        scope = scope_of(self.request.user)
        statistics = gather_statistics(scope=scope, choice=choice)
        return super().get_context_data(
            form=form,
            choice=choice,
            scope=scope,
            statistics=statistics,
            charts=draw_charts(statistics, choice),
            **kwargs,
        )


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [
        path(
            "reports/completion-statistics/",
            StatisticsView.as_view(),
            name=URL_NAME,
        )
    ]


add_to_review_menu(
    _("Statistics"),
    URL_NAME,
    name="completion-statistics",
    icon="table",
    order=400,
    permission=PERMISSION,
)
