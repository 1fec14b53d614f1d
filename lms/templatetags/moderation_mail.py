"""Template tags of Wagtail's moderation e-mails (lms/templates/wagtailadmin/
notifications/): the greeting in the vocative, and links on the site's
public address.

Wagtail builds the links of its notifications from ``WAGTAILADMIN_BASE_URL``
and the default ``Site``; the project's templates build them from
``SITE_URL`` (``lms.site_address``), the one source of every absolute link,
whatever host the request that triggered the e-mail came to.
"""

from django import template

from lms import greeting as greetings
from lms.site_address import absolute_url, site_url

register = template.Library()


@register.simple_tag
def greeting(user) -> str:
    """«Добрий день, Ірино Петрівно!», or «Добрий день!» without a sure name."""
    return greetings.greeting(user)


@register.simple_tag
def public_url(path: str = "") -> str:
    """An admin or site path on the public address; a full URL stays as it is."""
    path = str(path or "")
    if path.startswith(("https://", "http://")):
        return path
    if not path:
        return site_url() + "/"
    return absolute_url(path if path.startswith("/") else f"/{path}")


@register.simple_tag
def page_public_url(page) -> str:
    """Where learners read the page, on the public address ("" if nowhere)."""
    url = page.get_url() if page is not None else None
    return public_url(url) if url else ""
