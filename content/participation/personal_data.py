"""Applications in a person's data export, and what anonymisation removes.

An application's free text (organisation, position, motivation, experience,
the organisers' note) is the person's own and goes with the account; the
fact that someone of that sector applied, was selected and attended stays,
so that the record of who took part and the reviewers' counts do not change.
"""

from django.utils.translation import gettext_lazy as _

from lms import data_export


def applications_for_export(user) -> list[dict]:
    from content.participation.models import Application

    return [
        {
            "page": application.page.title,
            "sector": application.get_sector_display(),
            "organisation": application.organisation,
            "position": application.position,
            "motivation": application.motivation,
            "experience": application.experience,
            "submitted_at": application.submitted_at,
            "status": application.get_status_display(),
            "decision_note": application.decision_note,
            "attended": application.attended,
        }
        for application in Application.objects.filter(applicant=user)
        .select_related("page")
        .order_by("submitted_at", "pk")
    ]


def forget_application_texts(user) -> None:
    """Clears the texts and the audit log's copies of the name and the notes."""
    from content.participation.models import Application, ApplicationLogEntry

    applications = Application.objects.filter(applicant=user)
    applications.update(
        organisation="", position="", motivation="", experience="", decision_note=""
    )
    for application in applications.select_related("page"):
        ApplicationLogEntry.objects.filter(application=application).update(
            label=f"{user} — {application.page.title}", data={}
        )


def connect() -> None:
    data_export.register_section(
        "applications",
        _("Applications to pilots and events"),
        applications_for_export,
        field_labels={
            "page": _("pilot or event"),
            "sector": _("sector"),
            "organisation": _("organisation"),
            "position": _("position or role"),
            "motivation": _("motivation"),
            "experience": _("experience"),
            "submitted_at": _("submitted at"),
            "status": _("status"),
            "decision_note": _("note to the applicant"),
            "attended": _("attended"),
        },
    )
    data_export.register_anonymise_hook("applications", forget_application_texts)
