"""The address of the person making a request, also behind reverse proxies.

Reached directly, the client is the socket peer, ``REMOTE_ADDR``. Behind
proxies every request comes from the nearest proxy, so every visitor would
share one address: one rate-limit counter for the verification pages and
password resets, one sign-in failure count, one django-axes lockout. Each
proxy appends the address it received the request from to
``X-Forwarded-For``; only the entries the site's own proxies appended can
be believed, since a client may send the header with anything in it. With
``TRUSTED_PROXY_COUNT`` = N the client is therefore the N-th entry from
the right (what the outermost trusted proxy saw); whatever a client put to
the left of it is never read.

Django leaves this to the deployment, and django-axes' optional helper
(django-ipware) is not installed, so the site reads the one setting here and
hands the same function to axes (``AXES_CLIENT_IP_CALLABLE``).
"""

import ipaddress

from django.conf import settings

# The header production trusts for "the client spoke https to the proxy".
FORWARDED_PROTO_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def proxy_count_from_environment(environ) -> int | str:
    """``TRUSTED_PROXY_COUNT`` as a number; a bad value is kept as given.

    Kept, not raised on, so that ``check --deploy`` names the variable
    (lms.E008) instead of failing with a bare ``ValueError`` on import.
    """
    raw = environ.get("TRUSTED_PROXY_COUNT", "").strip()
    if not raw:
        return 0
    try:
        return int(raw)
    except ValueError:
        return raw


def is_valid_proxy_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def trusted_proxy_count() -> int:
    """The setting, read on every request; an invalid one trusts no header."""
    value = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    return value if is_valid_proxy_count(value) else 0


def secure_proxy_ssl_header(count) -> tuple[str, str] | None:
    """``SECURE_PROXY_SSL_HEADER`` for ``count`` trusted proxies.

    Without a proxy anyone could send ``X-Forwarded-Proto: https``, so the
    header is believed only when the site's own proxy sets it.
    """
    if is_valid_proxy_count(count) and count >= 1:
        return FORWARDED_PROTO_HEADER
    return None


def _ip(value: str) -> str | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # One client, one key: "::ffff:203.0.113.7" is 203.0.113.7.
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def client_address(request) -> str:
    """The client's IP address as the site's trusted proxies saw it.

    Falls back to ``REMOTE_ADDR`` when no proxy is trusted, when
    ``X-Forwarded-For`` has fewer entries than there are proxies, or when
    the entry is not an IP address. Empty only if the server gave no
    ``REMOTE_ADDR`` at all (stored as no address by django-axes).
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    count = trusted_proxy_count()
    if count == 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    ]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < count:
        return remote
    return _ip(forwarded[-count]) or remote
