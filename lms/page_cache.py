"""The site and the page a request is routed to, from the shared cache.

Wagtail looks both up for every page it serves: the site for the host name
(one query), its root page's own model (one query), and then, through
``HomePage.route``, the page on the path and its own model (two more). The
page tree changes when editors work, a few times a day, while learners read
pages many times a second, so those four queries are answered from Redis:

- ``CachedSiteMiddleware`` puts the site, with its root page already of its
  own model, on the request where ``Site.find_for_request`` looks for it
  (``HomePage.route`` keeps it there after Wagtail's own lookup);
- ``route_target`` gives ``HomePage.route`` the page whose address is exactly
  the path, of its own model. Paths that go further than a page (a quiz's
  attempt pages) and paths of no page are read from the database, so that
  made-up addresses cannot fill the cache.

Every entry carries the version of the page tree it was read at
(``lms.cache_versions``); saving or deleting any page, site, image,
document or view restriction, publishing, unpublishing and moving change the
version, so no
server serves a page as it was before an editor's change. Each request
unpickles its own copies. The same version keys the lesson body's HTML
(``courses/lesson_page.html``), whose links and images name other objects.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms import cache_versions

VERSION_KEY = "pages:version"
SITE_KEY = "pages:site:{}:{}"
ROUTE_KEY = "pages:route:{}:{}"
TIMEOUT = 6 * 3600


def version(request) -> int:
    """The version of pages, sites, images and documents, read once a request."""
    version = getattr(request, "_page_cache_version", None)
    if version is None:
        version = cache_versions.read(VERSION_KEY)
        request._page_cache_version = version
    return version


class CachedSiteMiddleware:
    """Gives the request its site from the shared cache when it is there.

    Nothing is read from the database here, and only requests for Wagtail's
    page view read the cache (one round trip, with the version). A
    page served without the cached site is routed by Wagtail as usual, and
    ``HomePage.route`` then keeps the site it found (``remember_site``).
    """

    def __init__(self, get_response):
        from wagtail.views import serve  # needs the models loaded

        self.get_response = get_response
        self.wagtail_serve = serve

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Only pages served by Wagtail: the probes, the admin and the
        # site's own views never touch the cache here.
        if view_func is self.wagtail_serve:
            _cached_site(request)


def _site_key(request) -> tuple[str, str]:
    hostname = split_domain_port(request._get_raw_host())[0]
    return hostname, SITE_KEY.format(hostname[:200], request.get_port())


def _cached_site(request) -> None:
    hostname, key = _site_key(request)
    try:
        found = cache.get_many([VERSION_KEY, key])
    except Exception:  # noqa: BLE001 - any failure of the cache's client
        # The cache is down: Wagtail looks the site up itself, so that
        # /healthz/ and /readyz/ still answer.
        return
    current = found.get(VERSION_KEY)
    if current is None:
        current = cache_versions.read(VERSION_KEY)
    # Read before any page or site is read from the database, so entries
    # written in this request carry the version those rows belong to.
    request._page_cache_version = current
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        request._wagtail_site = entry[1]
        # Wagtail's site root paths, for page URLs, kept with the site.
        request._wagtail_cached_site_root_paths = entry[2]


def remember_site(request, root: Page) -> None:
    """Keeps the request's site, with ``root`` (its root page, of its own
    model) in it, unless it came from the cache already."""
    site = getattr(request, "_wagtail_site", None)
    if site is None or site.root_page_id != root.pk:
        return
    if getattr(site.root_page, "_page_cache_kept", False):
        return
    current = getattr(request, "_page_cache_version", None)
    if current is None:  # the middleware could not read the cache
        return
    hostname, key = _site_key(request)
    if hostname == site.hostname or hostname in settings.ALLOWED_HOSTS:
        # Only the sites' own and the allowed host names are kept: any other
        # name is looked up in the database, so made-up names cannot fill
        # the cache.
        site.root_page = root
        root._page_cache_kept = True
        cache.set(key, (current, site, Site.get_site_root_paths()), TIMEOUT)


def route_target(root: Page, prefixes: list[str], request) -> Page | None:
    """The live page at the longest of ``prefixes`` below ``root``, of its own model.

    ``prefixes`` are URL paths, longest first; the first one is the whole
    request path.
    """
    current = version(request)
    digest = hashlib.blake2b(prefixes[0].encode(), digest_size=16).hexdigest()
    key = ROUTE_KEY.format(root.pk, digest)
    entry = cache.get(key)
    if entry is not None and entry[0] == current and entry[1] == prefixes[0]:
        return entry[2]
    target = (
        Page.objects.filter(url_path__in=prefixes, path__startswith=root.path)
        .order_by("-depth")
        .first()
    )
    if target is None:
        return None
    target = target.specific
    if target.url_path == prefixes[0]:
        _keep_with_page(target)
        cache.set(key, (current, prefixes[0], target), TIMEOUT)
    return target


def _keep_with_page(page: Page) -> None:
    """What serving the page reads about it, stored with it: one round trip
    each less on every request. All of it changes only with pages or view
    restrictions, which change the version of the entry.

    - the page's view restrictions (``lms.view_restrictions``);
    - the course of a lesson, module or quiz (a cached property) and the
      course's outline rows (``courses.outline``).
    """
    from courses.outline import keep_outline_rows
    from lms.view_restrictions import keep_restriction_ids

    keep_restriction_ids(page)
    course = getattr(page, "course", None)
    if course is not None:
        keep_outline_rows(course)


def forget(*args, **kwargs) -> None:
    """The page tree or a site changed: every cached site and page is stale."""
    cache_versions.bump_now_and_after_commit(VERSION_KEY)


def _forget_pages_and_sites(sender, instance, **kwargs) -> None:
    if isinstance(instance, (Page, Site, AbstractImage, AbstractDocument)):
        forget()


def connect() -> None:
    # Any page model: drafts, locks and revisions save the page row too, and
    # publishing a page may rename the paths of its descendants.
    post_save.connect(_forget_pages_and_sites, dispatch_uid="lms.page_cache.saved")
    post_delete.connect(_forget_pages_and_sites, dispatch_uid="lms.page_cache.deleted")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget, dispatch_uid=f"lms.page_cache.{id(signal)}")
    # Pages carry their view restrictions in the cache (``_keep_with_page``).
    for signal in (post_save, post_delete):
        signal.connect(
            forget,
            sender=PageViewRestriction,
            dispatch_uid=f"lms.page_cache.restriction.{id(signal)}",
        )
