"""Log lines as JSON, one object a line, for production's console.

Every line has ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``
and ``request_id``; the access lines of ``lms.request`` add ``method``,
``path``, ``status``, ``duration_ms``, ``client`` and ``user_id``, and a
logged exception adds ``exception`` (its traceback).

Only those fields are written. Libraries attach other things to records:
Django's ``django.request`` and ``django.server`` loggers attach the request
itself, whose text holds the full query string (password-reset links, search
terms). A general formatter such as python-json-logger copies every such
attribute into the line; this one keeps to the list, which is why it is
written here. Messages that name a request's path get the redacted path
(``lms.request_id.safe_path``) instead.
"""

import json
import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from lms.request_id import get_request_id, redact_path, safe_path

# Attributes the site's own loggers may add with ``extra=``.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "client", "user_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            # django.request: "Not Found: /account/confirm/<the token>/".
            redacted = safe_path(request)
            if redacted != request.path:
                message = message.replace(request.path, redacted)
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            "request_id": getattr(record, "request_id", None)
            or get_request_id()
            or "-",
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if "status" not in line and isinstance(
            getattr(record, "status_code", None), int
        ):
            line["status"] = record.status_code
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def scrub_sentry_event(event: dict, hint=None) -> dict:
    """Sentry's ``before_send``: what its no-personal-data mode still sends.

    ``send_default_pii=False`` already leaves out users, addresses, cookies
    and authorisation headers; this also drops the query string, the
    Referer and any body, and redacts the secret parts of the URL's path.
    """
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "cookies", "data"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            for name in [name for name in headers if name.lower() == "referer"]:
                del headers[name]
        url = request.get("url")
        if isinstance(url, str):
            parts = urlsplit(url)
            request["url"] = urlunsplit(
                parts._replace(path=redact_path(parts.path), query="", fragment="")
            )
    return event
