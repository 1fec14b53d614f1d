"""What learners see of pilots and events outside their own pages.

«Моє навчання» gets a section «Пілоти та заходи» with the learner's
applications and, once they have completed a course, an invitation to the
pilots and events; pages that follow a completion (the certificate pages)
get the invitation alone. Both through the registries of ``courses.dashboard``,
since the layers below do not import this app.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from wagtail.models import Page

from content.participation.models import (
    Application,
    EventIndexPage,
    PilotIndexPage,
    PilotPage,
)
from content.participation.selectors import learner_applications


@dataclass
class ApplicationRow:
    application: Application
    url: str  # empty when the page is no longer published
    is_pilot: bool


def participation_indexes(request) -> list[Page]:
    """The live, public lists of pilots and of events, pilots first (two queries)."""
    types = ContentType.objects.get_for_models(PilotIndexPage, EventIndexPage)
    pilot_type = types[PilotIndexPage].pk
    pages = Page.objects.live().public().filter(content_type__in=types.values())
    return sorted(
        pages, key=lambda page: (page.content_type_id != pilot_type, page.path)
    )


def _invitation(request, *, indexes, heading: bool) -> str:
    if not indexes:
        return ""
    return render_to_string(
        "content/participation/invitation.html",
        {"indexes": indexes, "heading": heading},
        request=request,
    )


def dashboard_section(*, request, progresses) -> str:
    """«Пілоти та заходи» on «Моє навчання» (three queries at most)."""
    applications = learner_applications(request.user)
    completed = any(progress.is_completed for progress in progresses)
    indexes = participation_indexes(request) if completed else []
    if not applications and not indexes:
        return ""
    pilot_type = ContentType.objects.get_for_model(
        PilotPage, for_concrete_model=True
    ).pk
    rows = [
        ApplicationRow(
            application=application,
            url=(application.page.get_url(request) or "")
            if application.page.live
            else "",
            is_pilot=application.page.content_type_id == pilot_type,
        )
        for application in applications
    ]
    return render_to_string(
        "content/participation/dashboard_section.html",
        {
            "rows": rows,
            "invitation": _invitation(request, indexes=indexes, heading=False),
        },
        request=request,
    )


def completion_invitation(*, request) -> str:
    """The invitation to pilots and events on the certificate pages."""
    return _invitation(request, indexes=participation_indexes(request), heading=True)


def connect() -> None:
    """Registers the extensions of «Моє навчання» and the certificate pages."""
    from courses.dashboard import register_after_completion, register_section

    register_section(dashboard_section)
    register_after_completion(completion_invitation)
