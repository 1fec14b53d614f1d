"""Page view restrictions read from the shared cache, not on every request.

Wagtail checks every page it serves for view restrictions on the page and
its ancestors (its ``on_serve_page`` hook calls ``get_view_restrictions``):
two queries per request, a third of a lesson page's waiting on PostgreSQL
under the load test, though restrictions change perhaps once a year.
``CachedViewRestrictionsMixin`` answers from Redis instead: the ids of the
restrictions that apply to the page (nearly always none), stored with the
version of the restrictions they were read at. One round trip fetches both
the current version and the entry; an entry of an older version is read
again. The version changes whenever a restriction is saved or deleted and
whenever a page is published, unpublished, moved or deleted (a move can
change which restrictions lie above a page); so a change is seen by every
app server on its next request. Pages with restrictions get them from the
database by id, as Wagtail's own objects.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms import cache_versions

VERSION_KEY = "view-restrictions:version"
ENTRY_KEY = "view-restrictions:page:{}"
TIMEOUT = 24 * 3600


def current_version() -> int:
    return cache_versions.read(VERSION_KEY)


def bump_version(*args, **kwargs) -> None:
    """A restriction or the page tree changed: every entry is stale."""
    cache_versions.bump_now_and_after_commit(VERSION_KEY)


class CachedViewRestrictionsMixin:
    """Put before ``Page`` in a page model's bases."""

    def get_view_restrictions(self):
        ids = self.__dict__.get("_restriction_ids")
        if ids is not None:  # kept with a page from lms.page_cache
            return _restrictions(ids)
        key = ENTRY_KEY.format(self.pk)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        entry = found.get(key)
        if version is None:
            version = current_version()
        if entry is not None and entry[0] == version:
            ids = entry[1]
        else:
            ids = list(super().get_view_restrictions().values_list("pk", flat=True))
            cache.set(key, (version, ids), timeout=TIMEOUT)
        return _restrictions(ids)


def _restrictions(ids):
    if not ids:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(pk__in=ids)


def keep_restriction_ids(page) -> None:
    """Reads the page's restrictions into the page, to be cached with it
    (``lms.page_cache``, whose version changes with any restriction)."""
    if isinstance(page, CachedViewRestrictionsMixin):
        restrictions = Page.get_view_restrictions(page)
        page._restriction_ids = list(restrictions.values_list("pk", flat=True))


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            bump_version,
            sender=PageViewRestriction,
            dispatch_uid=f"lms.view_restrictions.{signal}",
        )
    # Deleting any page deletes its row of the base model too.
    post_delete.connect(
        bump_version, sender=Page, dispatch_uid="lms.view_restrictions.page_delete"
    )
    page_published.connect(bump_version, dispatch_uid="lms.view_restrictions.published")
    page_unpublished.connect(
        bump_version, dispatch_uid="lms.view_restrictions.unpublished"
    )
    post_page_move.connect(bump_version, dispatch_uid="lms.view_restrictions.moved")
