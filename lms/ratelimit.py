"""A fixed-window request limit per client address, kept in the default cache.

The address is ``lms.client_address.client_address``: behind reverse proxies,
the one the site's own proxies saw (``TRUSTED_PROXY_COUNT``).

With the per-process LocMem cache of development each process counts on its
own; production needs a shared cache (Redis) so the limit holds across app
servers. The window is the current multiple of its length, so a client gets
at most ``limit`` requests in each window.
"""

import functools
import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

# Also imported from here by lms.accounts.views (password-reset limit).
from lms.client_address import client_address

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/m" → (30, 60): requests allowed and the window in seconds."""
    count, _slash, unit = rate.partition("/")
    if unit not in _UNITS or not count.isdigit():
        raise ValueError(f"A rate looks like '30/m', not {rate!r}.")
    return int(count), _UNITS[unit]


def _key(group: str, client: str, slot: int) -> str:
    # Hashed so the cache holds no plain addresses and keys stay short and safe.
    digest = hashlib.sha256(client.encode()).hexdigest()[:32]
    return f"ratelimit:{group}:{digest}:{slot}"


def hit(*, group: str, client: str, rate: str, now: float | None = None) -> int:
    """Counts one request; returns seconds to wait if over the limit, else 0."""
    limit, window = parse_rate(rate)
    now = time.time() if now is None else now
    slot = int(now // window)
    key = _key(group, client, slot)
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 1)
            count = 1
    if count <= limit:
        return 0
    return max(1, int((slot + 1) * window - now))


def exhausted(*, group: str, client: str, rate: str, now: float | None = None) -> int:
    """Seconds to wait if ``hit`` has used up this window's limit, else 0.

    Counts nothing: for limits on failures, checked before an attempt and
    counted only when it fails.
    """
    limit, window = parse_rate(rate)
    now = time.time() if now is None else now
    slot = int(now // window)
    if (cache.get(_key(group, client, slot)) or 0) < limit:
        return 0
    return max(1, int((slot + 1) * window - now))


def once_per(*, group: str, key: str, seconds: int) -> bool:
    """True the first time in ``seconds`` for ``key``; False until they pass.

    For messages a person may ask for again (a confirmation link, a password
    reset): one per address in the interval, however often the form is sent.
    """
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return cache.add(f"once:{group}:{digest}", 1, timeout=seconds)


def rate_limited(
    *, group: str, rate_setting: str, refuse: Callable
) -> Callable[[Callable], Callable]:
    """Decorates a view: over the limit, ``refuse(request, retry_after)`` answers."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            retry_after = hit(
                group=group,
                client=client_address(request),
                rate=getattr(settings, rate_setting),
            )
            if retry_after:
                response = refuse(request, retry_after)
                response["Retry-After"] = str(retry_after)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
