"""Version numbers that make whole families of cached entries stale at once.

Cached outlines, routed pages, sites and view restrictions carry the version
of the data they were read at; a change to that data increments the version
in the shared cache, and every app server sees it on its next request.

Two rules keep an old entry from ever passing for a fresh one:

- A version that is missing (never set, evicted, or Redis emptied) starts
  again from the clock in microseconds, never from 1: entries written before
  carry smaller numbers, however often they were bumped, so none of them can
  match again. The version itself never expires.
- A change made inside a transaction bumps the version at once and again
  after the commit: a request that read the old rows between the two would
  otherwise cache them under the new version.
"""

import time

from django.core.cache import cache
from django.db import transaction


def _fresh() -> int:
    return time.time_ns() // 1000


def read(key: str) -> int:
    version = cache.get(key)
    if version is None:
        cache.add(key, _fresh(), timeout=None)
        version = cache.get(key)
        if version is None:  # a cache that keeps nothing (DummyCache)
            version = 0
    return version


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # missing: a fresh start is newer than any entry
        cache.add(key, _fresh(), timeout=None)


def bump_now_and_after_commit(key: str) -> None:
    bump(key)
    transaction.on_commit(lambda: bump(key))
