"""Decisions and attendance on many applications at once (Wagtail bulk actions).

Each action asks for content.decide_application, acts only on applications of
the pilots and events the organiser manages (others are not even looked up),
and calls services.decide or services.mark_attendance, which keep the places,
the audit log and the applicants' e-mails. The result is reported in words:
how many changed, who could not be selected for lack of places, who was
promoted from the waiting list, who could not be changed and why.

Wagtail offers its snippet «delete» bulk action for every snippet model; the
one registered here for applications replaces it and refuses, so that no one
can delete an application or read applicants' names through its
confirmation page.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.widgets.button import Button as DropdownButton
from wagtail.admin.widgets.button import ButtonWithDropdown, ListingButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from content.participation import services
from content.participation.admin import filters, records, scope
from content.participation.admin.permissions import DECIDE
from content.participation.models import NOTE_MAX_LENGTH, Application

TEMPLATE = "content/participation/admin/bulk_action.html"
NAMES_SHOWN = 20


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the applicants"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. It is shown to the applicants in the e-mail."),
    )


class DeclineForm(NoteForm):
    promote = forms.BooleanField(
        label=_("Offer the freed places to the first on the waiting list"),
        required=False,
    )


def names(applications, limit: int = NAMES_SHOWN) -> str:
    shown = [records.full_name(application) for application in applications[:limit]]
    text = ", ".join(shown)
    if len(applications) > limit:
        text += " " + gettext("and %(count)d more") % {
            "count": len(applications) - limit
        }
    return text


class ApplicationBulkAction(SnippetBulkAction):
    """Common ground: permission, scope, the selected rows, the template."""

    models = [Application]
    template_name = TEMPLATE
    form_class = forms.Form
    #: What the confirmation page asks, and its button.
    question = ""
    button_label = ""

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, DECIDE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_all_objects_in_listing_query(self, parent_id):
        # «Select all» sends the listing's own filters and search along.
        return filters.listing_queryset(self.request).values_list("pk", flat=True)

    @cached_property
    def _selected(self) -> list[Application]:
        ids = self.request.GET.getlist("id")
        queryset = scope.applications(
            self.request.user, Application.objects.select_related("applicant", "page")
        )
        if "all" in ids:
            queryset = queryset.filter(
                pk__in=self.get_all_objects_in_listing_query(None)
            )
        else:
            queryset = queryset.filter(pk__in=[i for i in ids if i.isdigit()])
        selected = list(queryset.order_by("submitted_at", "pk"))
        if not selected:
            raise Http404
        return selected

    def get_actionable_objects(self):
        return self._selected, {"items_with_no_access": []}

    def object_context(self, application):
        return {
            "item": application,
            "name": records.full_name(application),
            "inspect_url": reverse(
                "participation_applications:inspect", args=[application.pk]
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "action_title": self.display_name,
                "question": self.question,
                "button_label": self.button_label or self.display_name,
            }
        )
        return context

    def get_success_message(self, num_parent_objects, num_child_objects):
        for level, text in self.report():
            getattr(messages, level)(self.request, text)
        return None

    def report(self) -> list[tuple[str, str]]:
        raise NotImplementedError


class DecisionBulkAction(ApplicationBulkAction):
    status = ""
    form_class = NoteForm
    changed_message = ""

    @classmethod
    def execute_action(cls, objects, self=None, **kwargs):
        data = self.cleaned_form.cleaned_data
        self.result = services.decide(
            applications=objects,
            status=cls.status,
            note=data.get("note", ""),
            by=self.request.user,
            promote=data.get("promote", False),
        )
        return len(self.result.changed), len(self.result.promoted)

    def _ours(self, applications) -> list[Application]:
        """The selected rows (with the applicant loaded) for the service's copies."""
        by_pk = {application.pk: application for application in self._selected}
        return [by_pk[application.pk] for application in applications]

    def report(self):
        result = self.result
        lines = []
        if result.changed:
            lines.append(
                ("success", self.changed_message % {"count": len(result.changed)})
            )
        if result.promoted:
            promoted = list(
                Application.objects.select_related("applicant")
                .filter(pk__in=[application.pk for application in result.promoted])
                .order_by("waitlisted_at", "submitted_at", "pk")
            )
            lines.append(
                (
                    "success",
                    gettext(
                        "Selected from the waiting list for the freed places "
                        "(%(count)d): %(names)s."
                    )
                    % {"count": len(promoted), "names": names(promoted)},
                )
            )
        if result.no_places:
            lines.append(
                (
                    "warning",
                    gettext("Not selected for lack of places (%(count)d): %(names)s.")
                    % {
                        "count": len(result.no_places),
                        "names": names(self._ours(result.no_places)),
                    },
                )
            )
        if result.not_allowed:
            lines.append(
                (
                    "warning",
                    gettext(
                        "Not changed, because the application was withdrawn or "
                        "attendance is already marked (%(count)d): %(names)s."
                    )
                    % {
                        "count": len(result.not_allowed),
                        "names": names(self._ours(result.not_allowed)),
                    },
                )
            )
        if result.unchanged:
            lines.append(
                (
                    "info",
                    gettext("Already with this status (%(count)d): %(names)s.")
                    % {
                        "count": len(result.unchanged),
                        "names": names(self._ours(result.unchanged)),
                    },
                )
            )
        if not result.changed and not result.promoted:
            lines.insert(0, ("info", gettext("Nothing was changed.")))
        return lines


class SelectBulkAction(DecisionBulkAction):
    display_name = pgettext_lazy("participation", "Select")
    action_type = "select"
    aria_label = _("Select the chosen applicants to take part")
    action_priority = 10
    status = Application.Status.SELECTED
    question = _(
        "Select these applicants to take part? They are selected in the order "
        "they applied, as long as places are left."
    )
    changed_message = _("Selected: %(count)d.")


class WaitlistBulkAction(DecisionBulkAction):
    display_name = _("To the waiting list")
    action_type = "waitlist"
    aria_label = _("Put the chosen applicants on the waiting list")
    action_priority = 20
    status = Application.Status.WAITLISTED
    question = _("Put these applicants on the waiting list?")
    changed_message = _("Put on the waiting list: %(count)d.")


class DeclineBulkAction(DecisionBulkAction):
    display_name = pgettext_lazy("participation", "Decline")
    action_type = "decline"
    aria_label = _("Decline the chosen applications")
    action_priority = 30
    classes = {"serious"}
    status = Application.Status.DECLINED
    form_class = DeclineForm
    question = _("Decline these applications?")
    changed_message = _("Declined: %(count)d.")


class AttendanceBulkAction(ApplicationBulkAction):
    attended = True
    changed_message = ""

    @classmethod
    def execute_action(cls, objects, self=None, **kwargs):
        self.marked = services.mark_attendance(
            applications=objects, attended=cls.attended, by=self.request.user
        )
        return len(self.marked), 0

    def report(self):
        marked = {application.pk for application in self.marked}
        skipped = [a for a in self._selected if a.pk not in marked]
        lines = []
        if marked:
            lines.append(("success", self.changed_message % {"count": len(marked)}))
        else:
            lines.append(("info", gettext("Nothing was changed.")))
        if skipped:
            lines.append(
                (
                    "warning",
                    gettext(
                        "Skipped: attendance is marked only for selected "
                        "participants of an event that has begun (%(count)d): "
                        "%(names)s."
                    )
                    % {"count": len(skipped), "names": names(skipped)},
                )
            )
        return lines


class MarkAttendedBulkAction(AttendanceBulkAction):
    display_name = _("Mark as attended")
    action_type = "mark-attended"
    aria_label = _("Mark the chosen participants as attended")
    action_priority = 40
    attended = True
    question = _(
        "Mark these participants as attended? Only selected participants of "
        "events that have begun are marked."
    )
    changed_message = _("Marked as attended: %(count)d.")


class MarkAbsentBulkAction(AttendanceBulkAction):
    display_name = _("Mark as absent")
    action_type = "mark-absent"
    aria_label = _("Mark the chosen participants as absent")
    action_priority = 50
    attended = False
    question = _(
        "Mark these participants as absent? Only selected participants of "
        "events that have begun are marked."
    )
    changed_message = _("Marked as absent: %(count)d.")


class RefuseDeleteBulkAction(SnippetBulkAction):
    """Replaces Wagtail's snippet delete for applications: always refused."""

    models = [Application]
    display_name = pgettext_lazy("participation", "Delete")
    action_type = "delete"
    aria_label = pgettext_lazy("participation", "Delete")

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


ACTIONS = (
    SelectBulkAction,
    WaitlistBulkAction,
    DeclineBulkAction,
    MarkAttendedBulkAction,
    MarkAbsentBulkAction,
)


def url(action, ids, next_url: str = "") -> str:
    query = [("id", pk) for pk in ids]
    if next_url:
        query.append(("next", next_url))
    return (
        reverse(
            "wagtail_bulk_action", args=["content", "application", action.action_type]
        )
        + "?"
        + urlencode(query)
    )


def footer_buttons() -> list:
    """The listing's bulk action buttons: these actions only (never delete)."""
    shown, more = ACTIONS[:3], ACTIONS[3:]

    def address(action):
        return reverse(
            "wagtail_bulk_action", args=["content", "application", action.action_type]
        )

    buttons = [
        ListingButton(
            action.display_name,
            address(action),
            attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
            priority=action.action_priority,
            classname=" ".join(action.classes | {"bulk-action-btn"}),
        )
        for action in shown
    ]
    buttons.append(
        ButtonWithDropdown(
            label=pgettext_lazy("participation", "Attendance"),
            attrs={"title": _("Mark attendance")},
            classname="button button-secondary button-small",
            buttons=[
                DropdownButton(
                    label=action.display_name,
                    url=address(action),
                    attrs={
                        "aria-label": action.aria_label,
                        "data-bulk-action-button": "",
                    },
                    priority=action.action_priority,
                )
                for action in more
            ],
        )
    )
    return buttons
