"""The listing, inspect and history views of applications, and the chooser.

Every view reads applications through the organiser's scope and refuses
anyone without content.view_application before looking anything up.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from certificates.reviewing.columns import LocalDateColumn
from content.participation import services
from content.participation.admin import bulk_actions, filters, records, scope
from content.participation.admin.columns import CertificateNumberColumn, StatusColumn
from content.participation.admin.permissions import DECIDE, VIEW
from content.participation.models import Application, EventPage
from lms.spreadsheets import SafeSpreadsheetExportMixin

TEMPLATES = "content/participation/admin/"
URL_NAMESPACE = "participation_applications"


def inspect_url(application) -> str:
    return reverse(f"{URL_NAMESPACE}:inspect", args=[application.pk])


def history_url(application) -> str:
    return reverse(f"{URL_NAMESPACE}:history", args=[application.pk])


class ScopedObjectMixin:
    """One application of the organiser's pages, for those who may view it."""

    def scoped_queryset(self):
        user = self.request.user
        if not self.permission_policy.user_has_permission(user, VIEW):
            # Refused before anything is looked up: no 404 tells ids apart.
            raise PermissionDenied
        return scope.applications(user, Application.objects.all())


class ApplicationIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    is_searchable = True
    page_title = _("Applications to take part")

    def get_base_queryset(self):
        return records.with_records(scope.applications(self.request.user))

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return filters.search(queryset, self.search_query)

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        order = list(queryset.query.order_by) or ["submitted_at"]
        return queryset.order_by(*order, "pk")

    @cached_property
    def can_decide(self) -> bool:
        return self.permission_policy.user_has_permission(self.request.user, DECIDE)

    @cached_property
    def columns(self):
        title = self._get_title_column_class(TitleColumn)(
            "applicant",
            label=pgettext_lazy("participation", "Applicant"),
            accessor=records.full_name,
            get_url=inspect_url,
            get_title_id=lambda application: f"snippet_{application.pk}_title",
            sort_key="applicant__last_name",
        )
        columns = [
            title,
            Column("email", label=_("E-mail"), accessor=records.email),
            Column(
                "page",
                label=pgettext_lazy("participation", "Pilot or event"),
                accessor="page.title",
                sort_key="page__title",
            ),
            Column(
                "sector",
                label=pgettext_lazy("participation", "Sector"),
                accessor="get_sector_display",
                sort_key="sector",
            ),
            Column("organisation", label=_("Organisation"), sort_key="organisation"),
            Column("position", label=_("Position")),
            StatusColumn("status", label=_("Status"), sort_key="status"),
            Column(
                "course_now",
                label=_("Course now"),
                accessor=records.course_now_label,
                sort_key="course_rank",
            ),
            Column(
                "best_percent",
                label=_("Best score, final test"),
                accessor=records.best_score,
                sort_key="best_percent",
            ),
            CertificateNumberColumn(
                "certificate_number",
                label=_("Certificate"),
                sort_key="certificate_number",
            ),
            Column(
                "eligibility",
                label=_("Course completion"),
                accessor=records.eligibility_signal,
            ),
            LocalDateColumn(
                "submitted_at",
                label=pgettext_lazy("participation", "Submitted"),
                date_format="d.m.Y H:i",
                sort_key="submitted_at",
            ),
            Column(
                "attended",
                label=pgettext_lazy("participation", "Attendance"),
                accessor=records.attended_label,
                sort_key="attended",
            ),
        ]
        if self.can_decide:
            columns.insert(
                0, BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet")
            )
        return columns

    def get_list_more_buttons(self, instance):
        return [
            Button(
                pgettext_lazy("participation", "Inspect"),
                url=inspect_url(instance),
                icon_name="info-circle",
                priority=10,
            ),
            Button(
                _("History"),
                url=history_url(instance),
                icon_name="history",
                priority=20,
            ),
        ]

    @cached_property
    def filtered_page(self):
        filters_ = self.filters
        if filters_ is not None and filters_.is_valid():
            return filters_.form.cleaned_data.get("page")
        return None

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        page = self.filtered_page
        context["seats"] = services.seats(page) if page is not None else None
        context["seats_page"] = page
        context["can_decide"] = self.can_decide
        if self.can_decide:
            context["bulk_action_buttons"] = bulk_actions.footer_buttons()
        return context

    # Export ----------------------------------------------------------------

    def get_filename(self):
        return f"applications-{datetime.date.today():%Y-%m-%d}"

    def to_row_dict(self, item):
        return {
            "full_name": records.full_name(item),
            "email": records.email(item),
            "page": item.page.title,
            "sector": item.get_sector_display(),
            "organisation": item.organisation,
            "position": item.position,
            "motivation": item.motivation,
            "experience": item.experience,
            "status": item.get_status_display(),
            "decision_note": item.decision_note,
            "status_changed_at": item.status_changed_at,
            "course_then": records.course_then_label(item),
            "course_now": records.course_now_label(item),
            "best_percent": item.best_percent,
            "certificate_number": item.certificate_number or "",
            "eligibility": records.eligibility_signal(item),
            "submitted_at": item.submitted_at,
            "attended": item.attended,
        }


class ApplicationInspectView(ScopedObjectMixin, snippet_views.InspectView):
    def get_object(self, queryset=None):
        queryset = records.with_records(self.scoped_queryset()).select_related(
            "decided_by", "course"
        )
        return get_object_or_404(queryset, pk=self.pk)

    def get_page_title(self):
        return pgettext_lazy("participation", "Application")

    def get_page_subtitle(self):
        return records.full_name(self.object)

    @cached_property
    def can_decide(self) -> bool:
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, DECIDE, self.object
        )

    @cached_property
    def event(self):
        if self.object.page.specific_class is not EventPage:
            return None
        return EventPage.objects.only("pk", "starts_at").get(pk=self.object.page_id)

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button(
                _("History"),
                url=history_url(self.object),
                icon_name="history",
                priority=90,
            ),
        ]
        if not self.can_decide:
            return buttons
        here = inspect_url(self.object)
        actions = [
            (bulk_actions.SelectBulkAction, "tick"),
            (bulk_actions.WaitlistBulkAction, "time"),
            (bulk_actions.DeclineBulkAction, "cross"),
        ]
        if (
            self.event is not None
            and self.event.has_started()
            and self.object.status == Application.Status.SELECTED
        ):
            actions += [
                (bulk_actions.MarkAttendedBulkAction, "user"),
                (bulk_actions.MarkAbsentBulkAction, "minus"),
            ]
        return buttons + [
            Button(
                action.display_name,
                url=bulk_actions.url(action, [self.object.pk], here),
                icon_name=icon,
                priority=action.action_priority,
            )
            for action, icon in actions
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        user = self.request.user
        certificate_url = ""
        certificate_id = application.certificate_now_id or application.certificate_id
        if certificate_id and user.has_perm("certificates.view_certificate"):
            certificate_url = reverse(
                "certificate_register:inspect", args=[certificate_id]
            )
        context.update(
            {
                "application": application,
                "full_name": records.full_name(application),
                "email": records.email(application),
                "course_then": records.course_then_label(application),
                "course_now": records.course_now_label(application),
                "best_score": records.best_score(application),
                "eligibility_signal": records.eligibility_signal(application),
                "snapshot_status": records.snapshot_certificate_status(application),
                "certificate_url": certificate_url,
                "history_url": history_url(application),
                "event": self.event,
                "decided_by": (
                    application.decided_by.get_full_name()
                    or application.decided_by.email
                    if application.decided_by
                    else ""
                ),
            }
        )
        return context


class ApplicationHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    """The audit log of one application, for everyone who may view it."""

    any_permission_required = [VIEW]

    def get_base_object_queryset(self):
        return self.scoped_queryset().select_related("applicant", "page")

    def get_page_subtitle(self):
        return f"{records.full_name(self.object)} — {self.object.page.title}"

    def get_edit_url(self, instance):
        return inspect_url(instance)

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                label=pgettext_lazy("participation", "Application"),
                url=inspect_url(self.object),
                icon_name="info-circle",
            )
        ]


# The chooser: nothing in the admin chooses an application, so it is closed.


class RefusedMixin:
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class ChooseView(RefusedMixin, snippet_chooser.ChooseView):
    pass


class ChooseResultsView(RefusedMixin, snippet_chooser.ChooseResultsView):
    pass


class ChosenView(RefusedMixin, snippet_chooser.SnippetChosenView):
    pass


class ChosenMultipleView(RefusedMixin, snippet_chooser.SnippetChosenMultipleView):
    pass


class ChooserCreateView(RefusedMixin, snippet_chooser.SnippetCreateView):
    pass


class ApplicationChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = ChooserCreateView
