"""Where a person goes after registering: back to the page they started from.

A visitor who opens «Зареєструватися» from a course page carries that page in
``?next=``. Registration remembers it in the session and puts it in the
confirmation link; confirming the e-mail address (in this browser or another)
sends them to sign in with it, and the first sign-in lands there. Only a
relative address on this site is ever kept or followed
(``url_has_allowed_host_and_scheme``); anything else is dropped silently and
the person lands where a sign-in usually leads.
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "accounts:after_registration"
# Longer addresses are not ours to keep: no page of the site needs one.
MAX_LENGTH = 1000


def safe_next(request: HttpRequest, value) -> str:
    """``value`` when it is a relative address on this site, else ""."""
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return ""
    # A path of this site: "/courses/…", never "//host", "/\\host" or "http:".
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return value


def remember(request: HttpRequest, value) -> None:
    """Keeps ``value`` for the first sign-in, if it is safe to follow."""
    url = safe_next(request, value)
    if url:
        request.session[SESSION_KEY] = url


def recall(request: HttpRequest) -> str:
    """The remembered address, checked again; "" when there is none."""
    return safe_next(request, request.session.get(SESSION_KEY, ""))


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
