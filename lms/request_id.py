"""A request id on every request, every log line and every response.

``RequestIdMiddleware`` is the outermost middleware. It takes the id a proxy
or load balancer sent in ``X-Request-ID`` when it is safe to copy into logs
and headers (at most 64 of ``A-Z a-z 0-9 . _ -``), otherwise makes a new one,
puts it on ``request.request_id`` and in a context variable that
``RequestIdFilter`` copies onto every log record, returns it in the
``X-Request-ID`` response header, and writes one access line per request to
the ``lms.request`` logger at INFO (see ``lms.logging_json`` for what a line
holds and what it never holds).
"""

import contextvars
import logging
import re
import time
import uuid

from django.core.signals import request_finished
from django.urls import Resolver404, resolve
from django.utils.functional import empty

from lms.client_address import client_address

HEADER = "X-Request-ID"
_SAFE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
access_log = logging.getLogger("lms.request")
# URL arguments that are secrets: the e-mail confirmation and password-reset
# links carry them in the path (uidb64 names the account).
SECRET_URL_KWARGS = frozenset({"token", "uidb64"})


def get_request_id() -> str | None:
    """The id of the request being served in this context, if any."""
    return _current.get()


def request_id_from(request) -> str:
    """The incoming id when it is safe to log and echo, else a new uuid4 hex."""
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if _SAFE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def safe_path(request) -> str:
    """The request's path for logs: never the query string, and the secret
    parts of confirmation and reset links replaced by their names, e.g.
    ``/account/password/reset/<uidb64>/<token>/``."""
    return redact_path(
        request.path,
        match=getattr(request, "resolver_match", None),
        urlconf=getattr(request, "urlconf", None),
    )


def redact_path(path: str, *, match=None, urlconf=None) -> str:
    """``path`` with the values of SECRET_URL_KWARGS replaced by their names.

    ``match`` is the path's ResolverMatch when there is one; otherwise the
    path is resolved here (a response given before URL resolution: an HTTPS
    redirect, a 404). The path is assumed to be mounted at the site's root.
    """
    if match is None:
        try:
            match = resolve(path, urlconf)
        except Resolver404:
            return path
    secrets = {
        str(value): name
        for name, value in match.kwargs.items()
        if name in SECRET_URL_KWARGS
    }
    if not secrets:
        return path
    return "/".join(
        f"<{secrets[part]}>" if part in secrets else part for part in path.split("/")
    )


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (the current one, or "-") to every record it sees.

    Put it on a handler, not a logger: a logger's filters do not see the
    records its children propagate.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = get_request_id() or "-"
        return True


def _client(request) -> str | None:
    """The client as the trusted proxies saw it (lms.client_address)."""
    return client_address(request) or None


def _user_id(request):
    """The signed-in user's id, read only if something already loaded the user.

    ``request.user`` is lazy; reading it here would load the session (a query)
    on requests that never needed one, such as /healthz/.
    """
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


def _forget(**kwargs) -> None:
    _current.set(None)


# Sent when the server closes the response, in the request's own context.
request_finished.connect(_forget, dispatch_uid="lms.request_id.forget")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request)
        request.request_id = request_id
        # Kept until the response is closed: Django's handler logs 4xx and 5xx
        # responses ("Not Found: …") after the middleware has returned.
        _current.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = request_id
        if access_log.isEnabledFor(logging.INFO):
            self.log(request, response, started)
        return response

    @staticmethod
    def log(request, response, started: float) -> None:
        path = safe_path(request)
        access_log.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "client": _client(request),
                "user_id": _user_id(request),
            },
        )
