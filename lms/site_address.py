"""The site's public address: where every absolute link the site makes starts.

``settings.SITE_URL`` (``https://…`` in production) is the one setting. QR
codes and verification addresses printed on certificates, the links in
confirmation, password-reset and notification e-mails, and Wagtail's own
moderation e-mails (through ``WAGTAILADMIN_BASE_URL`` and the default
``Site``) are all built from it, never from the request that happened to
trigger them, whose host a client chooses.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS


def site_url() -> str:
    """The public address without a trailing slash, e.g. https://learn.example.org."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (starting with /) on the public address."""
    return site_url() + path


def host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return parts.hostname or "", parts.port or default


def sync_default_site(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Points Wagtail's default ``Site`` at the public address.

    Wagtail builds a page's full URL (in moderation e-mails, for one) from
    the site's host name and port; left as the "localhost:80" its first
    migration creates, those links lead nowhere. Runs after every
    ``migrate`` and in ``seed_demo``; a second site already holding the
    address is left alone.
    """
    from wagtail.models import Site

    hostname, port = host_and_port(site_url())
    sites = Site.objects.using(using)
    default = sites.filter(is_default_site=True).first()
    if default is None or (default.hostname, default.port) == (hostname, port):
        return
    if sites.filter(hostname=hostname, port=port).exists():
        return
    default.hostname, default.port = hostname, port
    default.save(update_fields=["hostname", "port"])
