"""What visitors and learners read of pilots and events: lists and pages.

Every function here uses a fixed number of queries whatever the number of
pages, applications or participants: the places taken are counted for all
listed pages in one grouped query, oblasts are prefetched, and the hromadas of
a pilot's participants are one query.

Nothing here is cached between requests: the apply block shows the visitor's
own application, and the pages are served by Wagtail without a page cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from content.participation.models import (
    Application,
    Eligibility,
    EventPage,
    ParticipationPage,
    PilotPage,
)
from content.participation.services import (
    CourseRecord,
    course_record,
    refusal_reason,
    seats,
)
from lms.models import Hromada

Status = Application.Status


# -- words shared by lists and pages -----------------------------------------


def local_datetime(moment) -> str:
    """«15 червня 2026, 10:00» in Kyiv time."""
    return date_format(timezone.localtime(moment), "j E Y, H:i")


def local_date(day) -> str:
    return date_format(day, "j E Y")


@dataclass(frozen=True)
class Window:
    """The application window of a page, as the page shows it."""

    state: str  # "soon", "open" or "closed"
    opens_at: object
    closes_at: object

    @classmethod
    def of(cls, page: ParticipationPage, now=None) -> Window:
        return cls(
            page.window_state(now),
            page.applications_open_at,
            page.applications_close_at,
        )

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def label(self) -> str:
        if self.state == "soon":
            return _("Applications open on %(date)s") % {
                "date": local_datetime(self.opens_at)
            }
        if self.state == "open":
            return _("Applications accepted until %(date)s") % {
                "date": local_datetime(self.closes_at)
            }
        return _("Applications are closed")


def eligibility_label(page: ParticipationPage) -> str:
    """Who may apply as far as the course goes, in one sentence."""
    title = page.course.title if page.course_id and page.course else ""
    if page.eligibility == Eligibility.CERTIFICATE_REQUIRED:
        return _("A valid certificate of the course «%(course)s» is required") % {
            "course": title
        }
    if page.eligibility == Eligibility.COMPLETION_PREFERRED:
        return _(
            "Open to all; those who completed the course «%(course)s» are preferred"
        ) % {"course": title}
    return _("Open to all")


def places_label(*, places: int, left: int) -> str:
    if left <= 0:
        return _("No places left (%(places)s in all)") % {"places": places}
    return _("Places left: %(left)s of %(places)s") % {"left": left, "places": places}


def pilot_period(page: PilotPage) -> str:
    if page.ends_on:
        return _("%(start)s – %(end)s") % {
            "start": local_date(page.starts_on),
            "end": local_date(page.ends_on),
        }
    return _("from %(start)s") % {"start": local_date(page.starts_on)}


def event_when(page: EventPage) -> str:
    """«15 червня 2026, 10:00–15:00» or both ends in full when days differ."""
    starts = timezone.localtime(page.starts_at)
    if not page.ends_at:
        return local_datetime(starts)
    ends = timezone.localtime(page.ends_at)
    if ends.date() == starts.date():
        return f"{local_datetime(starts)}–{date_format(ends, 'H:i')}"
    return f"{local_datetime(starts)} – {local_datetime(ends)}"


def event_is_past(page: EventPage, now) -> bool:
    return (page.ends_at or page.starts_at) < now


# -- the lists ------------------------------------------------------------------


@dataclass
class Item:
    """One pilot or event in its index page's list."""

    page: ParticipationPage
    url: str
    window: Window
    places: int
    left: int
    eligibility: str
    when: str
    where: str

    @property
    def places_label(self) -> str:
        return places_label(places=self.places, left=self.left)


@dataclass
class Listing:
    """The live children of an index page; iterable, and split for events."""

    items: list[Item] = field(default_factory=list)
    upcoming: list[Item] = field(default_factory=list)
    past: list[Item] = field(default_factory=list)

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def selected_counts(page_ids: Iterable[int]) -> dict[int, int]:
    """Selected participants per page, in one query."""
    rows = (
        Application.objects.filter(page_id__in=list(page_ids), status=Status.SELECTED)
        .values_list("page_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def listing(queryset, *, request=None) -> Listing:
    """The items of a PilotIndexPage or EventIndexPage (three queries)."""
    model = queryset.model
    queryset = queryset.select_related("course")
    if issubclass(model, PilotPage):
        queryset = queryset.prefetch_related("oblasts")
    pages = list(queryset)
    counts = selected_counts(page.pk for page in pages)
    now = timezone.now()
    result = Listing()
    for page in pages:
        taken = counts.get(page.pk, 0)
        if isinstance(page, PilotPage):
            when = pilot_period(page)
            where = ", ".join(oblast.name for oblast in page.oblasts.all())
        else:
            when = event_when(page)
            where = page.venue or _("online")
        result.items.append(
            Item(
                page=page,
                url=page.get_url(request),
                window=Window.of(page, now),
                places=page.places,
                left=max(page.places - taken, 0),
                eligibility=eligibility_label(page),
                when=when,
                where=where,
            )
        )
    if issubclass(model, EventPage):
        for item in sorted(result.items, key=lambda item: item.page.starts_at):
            if event_is_past(item.page, now):
                result.past.insert(0, item)  # the latest first
            else:
                result.upcoming.append(item)
    return result


# -- a page ---------------------------------------------------------------------


@dataclass
class ApplyState:
    """What the apply block offers the visitor.

    ``kind`` is one of: ``"anonymous"`` (sign in first), ``"applied"`` (their
    application, still active or decided), ``"can_apply"``, ``"refused"``
    (``reason`` says why; ``needs_certificate`` adds the course link).
    """

    kind: str
    login_url: str = ""
    apply_url: str = ""
    application: Application | None = None
    withdrawn: bool = False
    reason: str = ""
    needs_certificate: bool = False
    record: CourseRecord | None = None


def login_url_for(request, url: str) -> str:
    """The sign-in address that comes back to ``url``."""
    return redirect_to_login(url)["Location"]


def own_application(*, user, page: ParticipationPage) -> Application | None:
    return Application.objects.filter(page=page, applicant=user).first()


def apply_state(page: ParticipationPage, request) -> ApplyState:
    """The visitor's standing towards ``page`` (at most four queries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ApplyState(
            "anonymous", login_url=login_url_for(request, page.get_url(request) or "")
        )
    application = own_application(user=user, page=page)
    if application is not None and application.status != Status.WITHDRAWN:
        return ApplyState("applied", application=application)
    withdrawn = application is not None
    record = None
    if (
        page.eligibility == Eligibility.CERTIFICATE_REQUIRED
        and page.window_state() == "open"
    ):
        record = course_record(user=user, page=page)
    reason = refusal_reason(user=user, page=page, record=record)
    if reason:
        return ApplyState(
            "refused",
            application=application,
            withdrawn=withdrawn,
            reason=reason,
            needs_certificate=record is not None and record.certificate is None,
            record=record,
        )
    return ApplyState(
        "can_apply",
        application=application,
        withdrawn=withdrawn,
        apply_url=reverse("participation:apply", args=[page.pk]),
    )


def participant_hromadas(page: PilotPage, hromada_ids: Iterable[int]) -> list[Hromada]:
    """The page's hromadas and those of its selected participants (one query)."""
    from_participants = Application.objects.filter(
        page_id=page.pk, status=Status.SELECTED, applicant__hromada__isnull=False
    ).values("applicant__hromada_id")
    return list(
        Hromada.objects.filter(
            Q(pk__in=list(hromada_ids)) | Q(pk__in=from_participants)
        )
        .select_related("oblast")
        .distinct()
    )


def page_context(page: ParticipationPage, *, request) -> dict:
    """The context of a PilotPage or EventPage beyond ``page`` itself."""
    counts = seats(page)
    context = {
        "seats": counts,
        "places_label": places_label(places=counts["places"], left=counts["left"]),
        "window": Window.of(page),
        "eligibility_label": eligibility_label(page),
        "apply": apply_state(page, request),
    }
    if isinstance(page, PilotPage):
        hromadas = list(page.hromadas.all().select_related("oblast"))
        context.update(
            {
                "period": pilot_period(page),
                "oblasts": list(page.oblasts.all()),
                "hromadas": hromadas,
                "participants": counts["selected"],
                "participant_hromadas": participant_hromadas(
                    page, [hromada.pk for hromada in hromadas]
                ),
            }
        )
    elif isinstance(page, EventPage):
        context.update(
            {"when": event_when(page), "is_past": event_is_past(page, timezone.now())}
        )
    return context


# -- «Моє навчання» -------------------------------------------------------------


def learner_applications(user) -> list[Application]:
    """The learner's applications, newest first, with their pages (one query)."""
    return list(
        Application.objects.filter(applicant=user)
        .select_related("page")
        .order_by("-submitted_at", "-pk")
    )
