"""Writes on applications: apply, withdraw, decide, mark attendance.

Capacity is the one rule that must hold under concurrency: a decision locks
the pilot's or event's own row (``SELECT … FOR UPDATE OF`` its table only),
counts the selected applicants under that lock and selects no more than the
places left. Two organisers deciding at the same moment therefore queue on
that row; the second sees the first one's selections. Pages are locked in
primary-key order so that a bulk decision over several pages cannot deadlock
with another.

Every change is written to Wagtail's audit log, and the applicant's e-mail
is queued as a task after the transaction commits (never sent inside the
request, never sent for a change that rolled back).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from certificates.models import Certificate
from content.participation.models import (
    Application,
    Eligibility,
    EventPage,
    ParticipationPage,
)
from courses.models import Enrolment

Status = Application.Status

ACTION_SUBMITTED = "content.application.submitted"
ACTION_WITHDRAWN = "content.application.withdrawn"
ACTION_DECIDED = "content.application.decided"
ACTION_PROMOTED = "content.application.promoted"
ACTION_ATTENDANCE = "content.application.attendance"

DECISIONS = (Status.SELECTED, Status.WAITLISTED, Status.DECLINED)


class ApplicationRefused(Exception):
    """The application cannot be accepted; ``message`` says why, in Ukrainian."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class CourseRecord:
    course_id: int | None
    status: str
    certificate: Certificate | None


def course_record(*, user, page: ParticipationPage) -> CourseRecord:
    """The applicant's record in the page's course (two queries at most)."""
    course_id = page.course_id
    if course_id is None:
        return CourseRecord(None, Application.CourseStatus.NONE, None)
    enrolment = (
        Enrolment.objects.filter(learner=user, course_id=course_id)
        .only("started_at", "completed_at")
        .first()
    )
    if enrolment is None:
        status = Application.CourseStatus.NONE
    elif enrolment.completed_at is not None:
        status = Application.CourseStatus.COMPLETED
    elif enrolment.started_at is not None:
        status = Application.CourseStatus.LEARNING
    else:
        status = Application.CourseStatus.ENROLLED
    certificate = None
    if status == Application.CourseStatus.COMPLETED:
        certificate = (
            Certificate.objects.valid()
            .filter(learner=user, course_id=course_id)
            .order_by("-issued_at")
            .first()
        )
    return CourseRecord(course_id, status, certificate)


def refusal_reason(
    *, user, page: ParticipationPage, record: CourseRecord | None = None
):
    """Why ``user`` may not apply to ``page`` now, or None if they may."""
    state = page.window_state()
    if state == "soon":
        return _("Applications have not opened yet.")
    if state == "closed":
        return _("Applications are closed.")
    if page.eligibility == Eligibility.CERTIFICATE_REQUIRED:
        record = record or course_record(user=user, page=page)
        if record.certificate is None:
            return _(
                "Only holders of a valid certificate of the course «%(course)s» "
                "may apply."
            ) % {"course": page.course.title if page.course else ""}
    return None


def submit_application(
    *,
    user,
    page: ParticipationPage,
    data: Mapping[str, Any],
    record: CourseRecord | None = None,
) -> Application:
    """Records an application with the applicant's course record attached.

    ``data`` holds the form's cleaned fields: sector, organisation, position,
    motivation, experience; ``record`` the course record if the caller has
    already read it. A withdrawn application is submitted again in its own
    row (one row per person and page).
    """
    record = record or course_record(user=user, page=page)
    reason = refusal_reason(user=user, page=page, record=record)
    if reason:
        raise ApplicationRefused(reason)
    if not page.sector_allowed(data["sector"]):
        raise ApplicationRefused(
            _("This sector is not among those who may apply."), field="sector"
        )
    now = timezone.now()
    values = {
        "sector": data["sector"],
        "organisation": data["organisation"],
        "position": data["position"],
        "motivation": data["motivation"],
        "experience": data.get("experience", ""),
        "consent_given_at": now,
        "course_id": record.course_id,
        "course_status": record.status,
        "certificate": record.certificate,
        "status": Status.SUBMITTED,
        "status_changed_at": now,
        "submitted_at": now,
        "decision_note": "",
        "decided_by": None,
        "waitlisted_at": None,
        "attended": None,
        "attendance_marked_at": None,
    }
    try:
        with transaction.atomic():
            existing = (
                Application.objects.select_for_update()
                .filter(page=page, applicant=user)
                .first()
            )
            if existing is not None and existing.status != Status.WITHDRAWN:
                raise ApplicationRefused(already_applied_message())
            if existing is None:
                application = Application.objects.create(
                    page=page, applicant=user, **values
                )
            else:
                application = existing
                for name, value in values.items():
                    setattr(application, name, value)
                application.save()
            log(
                instance=application,
                action=ACTION_SUBMITTED,
                user=user,
                data={"page": page.title},
            )
            _queue_email(application, "submitted")
    except IntegrityError:
        # Another request of the same person committed first.
        raise ApplicationRefused(already_applied_message()) from None
    return application


def already_applied_message() -> str:
    return _("You have already applied. Your application is listed on «My learning».")


def withdraw_application(*, application: Application, user) -> Application:
    """The applicant takes the application back; a place they held is freed."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(
            pk=application.pk, applicant=user
        )
        if not locked.can_withdraw:
            raise ApplicationRefused(_("This application can no longer be withdrawn."))
        locked.status = Status.WITHDRAWN
        locked.status_changed_at = timezone.now()
        locked.waitlisted_at = None
        locked.save(update_fields=["status", "status_changed_at", "waitlisted_at"])
        log(instance=locked, action=ACTION_WITHDRAWN, user=user)
    return locked


@dataclass
class DecisionResult:
    changed: list[Application] = field(default_factory=list)
    promoted: list[Application] = field(default_factory=list)
    no_places: list[Application] = field(default_factory=list)
    not_allowed: list[Application] = field(default_factory=list)
    unchanged: list[Application] = field(default_factory=list)


def decide(
    *,
    applications: Iterable[Application],
    status: str,
    note: str = "",
    by,
    promote: bool = False,
) -> DecisionResult:
    """Selects, wait-lists or declines applications, within the places.

    Applications are handled in the order they were submitted; once the
    places are taken, the rest stay as they were (``no_places``). With
    ``promote``, each place freed by declining or wait-listing a selected
    participant goes to the first person on the waiting list.
    """
    if status not in DECISIONS:
        raise ValueError(status)
    result = DecisionResult()
    by_page: dict[int, list[int]] = defaultdict(list)
    for application in applications:
        by_page[application.page_id].append(application.pk)
    with transaction.atomic():
        for page_id in sorted(by_page):
            _decide_on_page(
                page_id, by_page[page_id], status, note, by, promote, result
            )
    return result


def _lock_page(page_id: int) -> ParticipationPage:
    return (
        ParticipationPage.objects.select_for_update(of=("self",))
        .only("pk", "places", "title")
        .get(pk=page_id)
    )


def _decide_on_page(page_id, ids, status, note, by, promote, result):
    page = _lock_page(page_id)
    locked = list(
        Application.objects.select_for_update(of=("self",))
        .filter(page_id=page_id, pk__in=ids)
        .order_by("submitted_at", "pk")
    )
    taken = Application.objects.filter(page_id=page_id, status=Status.SELECTED).count()
    now = timezone.now()
    freed = 0
    for application in locked:
        if application.status == Status.WITHDRAWN or application.attended is not None:
            result.not_allowed.append(application)
            continue
        if application.status == status:
            result.unchanged.append(application)
            continue
        if status == Status.SELECTED:
            if taken >= page.places:
                result.no_places.append(application)
                continue
            taken += 1
        elif application.status == Status.SELECTED:
            taken -= 1
            freed += 1
        _set_status(application, status, note=note, by=by, now=now)
        log(
            instance=application,
            action=ACTION_DECIDED,
            user=by,
            data={"status": status, "note": note, "page": page.title},
        )
        _queue_email(application, status)
        result.changed.append(application)
    if promote and freed:
        batch = {application.pk for application in locked}
        waiting = list(
            Application.objects.select_for_update(of=("self",))
            .filter(page_id=page_id, status=Status.WAITLISTED)
            .exclude(pk__in=batch)
            .order_by("waitlisted_at", "submitted_at", "pk")[
                : max(page.places - taken, 0)
            ]
        )
        for application in waiting:
            _set_status(application, Status.SELECTED, note="", by=by, now=now)
            log(
                instance=application,
                action=ACTION_PROMOTED,
                user=by,
                data={"status": Status.SELECTED, "page": page.title},
            )
            _queue_email(application, "promoted")
            result.promoted.append(application)


def _set_status(application: Application, status: str, *, note, by, now) -> None:
    application.status = status
    application.status_changed_at = now
    application.decision_note = note
    application.decided_by = by
    application.waitlisted_at = now if status == Status.WAITLISTED else None
    application.save(
        update_fields=[
            "status",
            "status_changed_at",
            "decision_note",
            "decided_by",
            "waitlisted_at",
        ]
    )


class AttendanceRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def mark_attendance(
    *, applications: Iterable[Application], attended: bool, by
) -> list[Application]:
    """Records whether selected participants of an event that has begun came."""
    ids = [application.pk for application in applications]
    now = timezone.now()
    marked = []
    with transaction.atomic():
        locked = list(
            Application.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, status=Status.SELECTED)
            .order_by("pk")
        )
        pages = {
            page.pk: page
            for page in EventPage.objects.filter(
                pk__in={application.page_id for application in locked}
            ).only("pk", "starts_at", "title")
        }
        for application in locked:
            page = pages.get(application.page_id)
            if page is None or not page.has_started(now):
                continue
            application.attended = attended
            application.attendance_marked_at = now
            application.save(update_fields=["attended", "attendance_marked_at"])
            log(
                instance=application,
                action=ACTION_ATTENDANCE,
                user=by,
                data={"attended": attended, "page": page.title},
            )
            marked.append(application)
    return marked


def _queue_email(application: Application, kind: str) -> None:
    from content.participation.tasks import send_application_email

    application_id = application.pk
    transaction.on_commit(
        lambda: send_application_email.enqueue(application_id=application_id, kind=kind)
    )


def seats(page: ParticipationPage) -> dict[str, int]:
    """Places, and how many are taken and left, with the other counts."""
    counts = dict.fromkeys(Status.values, 0)
    rows = (
        Application.objects.filter(page=page)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    for status, number in rows:
        counts[status] = number
    taken = counts[Status.SELECTED]
    return {
        "places": page.places,
        "taken": taken,
        "left": max(page.places - taken, 0),
        **counts,
    }
