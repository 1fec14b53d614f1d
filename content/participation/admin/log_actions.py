"""The audit log of applications, in words (the history view, site history)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.log_actions import LogFormatter

from content.participation import services
from content.participation.models import Application

Status = Application.Status

DECISION_WORDS = {
    Status.SELECTED: pgettext_lazy("decision", "selected"),
    Status.WAITLISTED: pgettext_lazy("decision", "put on the waiting list"),
    Status.DECLINED: pgettext_lazy("decision", "declined"),
}


class SubmittedFormatter(LogFormatter):
    label = _("Submit application")
    message = _("Application submitted")


class WithdrawnFormatter(LogFormatter):
    label = _("Withdraw application")
    message = _("Application withdrawn by the applicant")


class DecidedFormatter(LogFormatter):
    label = _("Decide on application")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        status = data.get("status", "")
        message = _("Decision: %(decision)s.") % {
            "decision": DECISION_WORDS.get(status, status)
        }
        if data.get("note"):
            message += " " + _("Note: %(note)s") % {"note": data["note"]}
        return message

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("note", "")


class PromotedFormatter(LogFormatter):
    label = _("Select from the waiting list")
    message = _("Selected from the waiting list for a freed place")


class AttendanceFormatter(LogFormatter):
    label = _("Mark attendance")

    def format_message(self, log_entry):
        if (log_entry.data or {}).get("attended"):
            return _("Attendance: attended")
        return _("Attendance: absent")


FORMATTERS = {
    services.ACTION_SUBMITTED: SubmittedFormatter,
    services.ACTION_WITHDRAWN: WithdrawnFormatter,
    services.ACTION_DECIDED: DecidedFormatter,
    services.ACTION_PROMOTED: PromotedFormatter,
    services.ACTION_ATTENDANCE: AttendanceFormatter,
}


def register(actions) -> None:
    for action, formatter in FORMATTERS.items():
        actions.register_action(action)(formatter)
