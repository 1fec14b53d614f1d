"""Liveness and readiness for load balancers and orchestrators.

``/healthz/`` says the process answers: it touches no database, session or
cache, so a slow database never gets healthy app servers restarted.
``/readyz/`` says this server can serve: the database answers, the shared
cache keeps a value, the private storage of certificate PDFs keeps a file
and every migration is applied. A load balancer sends traffic only to ready
servers. Both answer anyone without signing in and are never cached; the
answers name the checks and, for a failing one, only the class of the error
(the full error goes to the ``lms.health`` log).

Django validates the Host header before any view: the probes must send a
host in ``DJANGO_ALLOWED_HOSTS``. Production exempts both paths from the
HTTPS redirect, since probes usually speak plain HTTP to the app server.
"""

import functools
import logging
import time
import uuid

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from certificates.storage import private_storage

logger = logging.getLogger("lms.health")
# Milliseconds a readiness query may take on PostgreSQL.
DATABASE_TIMEOUT_MS = 2000
PROBE_CONTENT = b"readiness probe"


class CheckFailed(Exception):
    """A check ran but found the wrong answer."""


def probe(view):
    """Open to anyone, GET or HEAD only, never cached, and no session read.

    The user is set to the anonymous one before the view returns, so that no
    middleware (private-page headers, the access log) loads the session —
    which would be a database query — for a probe that sent a cookie.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.user = AnonymousUser()
        return view(request, *args, **kwargs)

    return never_cache(require_safe(wrapper))


@probe
def healthz(request):
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        # SET LOCAL lasts for this transaction only: kept connections keep
        # their own setting. (On SQLite a transaction would take the write
        # lock, so the query runs on its own there.)
        with transaction.atomic(using=DEFAULT_DB_ALIAS), connection.cursor() as cur:
            cur.execute(f"SET LOCAL statement_timeout = {DATABASE_TIMEOUT_MS}")
            _select_one(cur)
    else:
        with connection.cursor() as cur:
            _select_one(cur)


def _select_one(cursor) -> None:
    cursor.execute("SELECT 1")
    if tuple(cursor.fetchone()) != (1,):
        raise CheckFailed("SELECT 1")


def check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=30)
        if cache.get(key) != value:
            raise CheckFailed("value not kept")
    finally:
        cache.delete(key)


def check_storage() -> None:
    """Write, read and delete a small file through the storage API only, so
    the check holds for object storage as well as a shared volume."""
    storage = private_storage()
    name = storage.save(f"readyz-{uuid.uuid4().hex}.probe", ContentFile(PROBE_CONTENT))
    try:
        with storage.open(name, "rb") as probe_file:
            if probe_file.read() != PROBE_CONTENT:
                raise CheckFailed("content differs")
    finally:
        storage.delete(name)


def check_migrations() -> None:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise CheckFailed(f"{len(plan)} unapplied migrations")


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "migrations": check_migrations,
}


def run_checks() -> dict[str, dict]:
    """Every check, each on its own: one failing does not skip the others."""
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:  # any failure means not ready
            logger.warning("Readiness check %s failed", name, exc_info=True)
            result = {"status": "error", "error": type(error).__name__}
            if isinstance(error, CheckFailed):
                result["detail"] = str(error)
        else:
            result = {"status": "ok"}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return results


@probe
def readyz(request):
    checks = run_checks()
    ready = all(result["status"] == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", "checks": checks},
        status=200 if ready else 503,
    )
