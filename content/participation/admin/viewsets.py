"""The «Заявки на участь» menu group: the applications and the overview."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from content.participation.admin import overview, views
from content.participation.admin.assignments import AssignmentViewSet
from content.participation.admin.filters import ApplicationFilterSet
from content.participation.admin.permissions import VIEW
from content.participation.models import Application


class ViewPermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Application).user_has_permission(
            request.user, VIEW
        )


class ApplicationURLFinder(ModelAdminURLFinder):
    """Links to an application (e.g. from the site history) open its inspect view."""

    edit_url_name = f"{views.URL_NAMESPACE}:inspect"

    def get_edit_url(self, instance):
        policy = policy_registry.get_by_type(Application)
        if self.user and not policy.user_has_permission_for_instance(
            self.user, VIEW, instance
        ):
            return None
        return self.construct_edit_url(instance)


EXPORT_HEADINGS = {
    "full_name": pgettext_lazy("participation", "Applicant"),
    "email": _("E-mail"),
    "page": pgettext_lazy("participation", "Pilot or event"),
    "sector": pgettext_lazy("participation", "Sector"),
    "organisation": _("Organisation"),
    "position": _("Position"),
    "motivation": _("Motivation"),
    "experience": _("Experience"),
    "status": _("Status"),
    "decision_note": _("Note to the applicant"),
    "status_changed_at": _("Status changed"),
    "course_then": _("Course status when applying"),
    "course_now": _("Course status now"),
    "best_percent": _("Best score at the final test, %"),
    "certificate_number": _("Certificate number"),
    "eligibility": _("Course completion"),
    "submitted_at": pgettext_lazy("participation", "Submitted"),
    "attended": pgettext_lazy("participation", "Attendance"),
}


class ApplicationViewSet(SnippetViewSet):
    """Applications: listing, inspect, history; decisions are bulk actions."""

    model = Application
    url_prefix = "participation/applications"
    url_namespace = views.URL_NAMESPACE
    icon = "group"
    menu_label = _("Applications")
    menu_name = "applications"
    menu_item_class = ViewPermissionMenuItem
    index_view_class = views.ApplicationIndexView
    inspect_view_class = views.ApplicationInspectView
    history_view_class = views.ApplicationHistoryView
    chooser_viewset_class = views.ApplicationChooserViewSet
    inspect_view_enabled = True
    index_template_name = views.TEMPLATES + "index.html"
    index_results_template_name = views.TEMPLATES + "index_results.html"
    inspect_template_name = views.TEMPLATES + "inspect.html"
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = ApplicationFilterSet
    list_per_page = 20
    list_export = list(EXPORT_HEADINGS)
    export_headings = EXPORT_HEADINGS
    url_finder_class = ApplicationURLFinder

    def get_common_view_kwargs(self, **kwargs):
        # There are no add, edit, copy, delete or usage views.
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="list"),
            path("results/", self.index_results_view, name="list_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
            path(f"history/<{conv}:pk>/", self.history_view, name="history"),
            path(
                f"history-results/<{conv}:pk>/",
                self.history_results_view,
                name="history_results",
            ),
        ]

    def get_permissions_to_register(self):
        # The group editor offers what the policy grants: view and decide.
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            codename__in=["view_application", "decide_application"],
        )


class OverviewViewSet(ViewSet):
    name = "participation_overview"
    url_prefix = "participation/overview"
    url_namespace = overview.URL_NAMESPACE
    icon = "table"
    menu_label = _("Places and participants")
    menu_name = "participation-overview"
    menu_item_class = ViewPermissionMenuItem

    def get_urlpatterns(self):
        return [
            path("", overview.OverviewView.as_view(), name="index"),
            path(
                "results/",
                overview.OverviewView.as_view(results_only=True),
                name="index_results",
            ),
        ]


class ParticipationAdminGroup(SnippetViewSetGroup):
    menu_label = _("Applications to take part")
    menu_name = "applications-to-take-part"
    menu_icon = "group"
    menu_order = 260
    items = (ApplicationViewSet, OverviewViewSet, AssignmentViewSet)
