"""Which pilots and events an organiser manages.

An organiser with ``OrganiserAssignment`` rows manages only those pages; one
without any manages every pilot and event, and so does a superuser. The
answer is read once per request (cached on the user object).
"""

from django.db.models import QuerySet

from content.participation.models import (
    Application,
    OrganiserAssignment,
    ParticipationPage,
)

_CACHE = "_organiser_page_ids"
_MISSING = object()


def managed_page_ids(user) -> frozenset[int] | None:
    """The ids of the pages ``user`` manages, or None for every page."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return None
    cached = getattr(user, _CACHE, _MISSING)
    if cached is _MISSING:
        assigned = list(
            OrganiserAssignment.objects.filter(organiser=user).values_list(
                "page_id", flat=True
            )
        )
        # No assignment: every page. Assignments whose pages were deleted
        # still limit the organiser (to nothing, if none is left).
        cached = (
            frozenset(pk for pk in assigned if pk is not None) if assigned else None
        )
        setattr(user, _CACHE, cached)
    return cached


def applications(user, queryset: QuerySet | None = None) -> QuerySet:
    """The applications to the pages ``user`` manages."""
    queryset = Application.objects.all() if queryset is None else queryset
    ids = managed_page_ids(user)
    return queryset if ids is None else queryset.filter(page_id__in=ids)


def pages(user, queryset: QuerySet | None = None) -> QuerySet:
    """The pilots and events ``user`` manages."""
    queryset = ParticipationPage.objects.all() if queryset is None else queryset
    ids = managed_page_ids(user)
    return queryset if ids is None else queryset.filter(pk__in=ids)


def manages(user, page_id: int) -> bool:
    ids = managed_page_ids(user)
    return ids is None or page_id in ids
