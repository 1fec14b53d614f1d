"""Request ids, JSON access logs without secrets or personal data, and
production's logging and error-report settings."""

import io
import json
import logging
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import resolve

from lms.logging_json import JsonFormatter, scrub_sentry_event
from lms.request_id import RequestIdFilter

PROJECT = Path(__file__).resolve().parents[2]
NEW_ID = re.compile(r"[0-9a-f]{32}")
RESET_PATH = "/account/password/reset/MTIz/c0ffee-5ecret-t0ken/"


@pytest.fixture
def log_lines():
    """What production's console handler would write, as parsed JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger(name) for name in ("lms.request", "django.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_a_valid_request_id_comes_back(client):
    response = client.get("/healthz/", HTTP_X_REQUEST_ID="lb-7f3a.42_x")
    assert response["X-Request-ID"] == "lb-7f3a.42_x"


@pytest.mark.parametrize(
    "incoming",
    ["abc\nforged log line", "a" * 200, "has space", "", "ünicode", "a;b"],
)
def test_an_unsafe_request_id_is_replaced(client, incoming):
    response = client.get("/healthz/", HTTP_X_REQUEST_ID=incoming)
    assert NEW_ID.fullmatch(response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz/")["X-Request-ID"]
    second = client.get("/healthz/")["X-Request-ID"]
    assert first != second


def test_the_access_line_is_json_with_the_request_fields(client, log_lines):
    response = client.get("/healthz/", HTTP_X_REQUEST_ID="req-1")
    (line,) = [line for line in log_lines() if line["logger"] == "lms.request"]
    assert line["request_id"] == "req-1" == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz/"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["client"] == "127.0.0.1"
    assert line["user_id"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])
    assert line["message"] == "GET /healthz/ 200"


def test_the_client_is_the_address_the_trusted_proxy_saw(client, settings, log_lines):
    settings.TRUSTED_PROXY_COUNT = 1
    client.get("/healthz/", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7")
    (line,) = [line for line in log_lines() if line["logger"] == "lms.request"]
    assert line["client"] == "203.0.113.7"


def test_a_reset_link_is_logged_without_its_secrets_or_the_users_e_mail(
    client, learner, log_lines
):
    client.force_login(learner)
    response = client.get(RESET_PATH + "?next=/learning/&utm=private-query")
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in log_lines())
    (line,) = [line for line in log_lines() if line["logger"] == "lms.request"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["path"] == "/account/password/reset/<uidb64>/<token>/"
    assert line["user_id"] == learner.pk
    for secret in ("c0ffee-5ecret-t0ken", "MTIz", "private-query", "next="):
        assert secret not in text
    for personal in (learner.email, learner.last_name):
        assert personal not in text


def test_django_s_own_lines_carry_the_same_request_id(client, db, log_lines):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    lines = log_lines()
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found
    assert {line["request_id"] for line in lines} == {"req-404"}
    assert not_found[0]["status"] == 404


def test_django_s_lines_about_a_secret_path_are_redacted():
    request = RequestFactory().get(RESET_PATH + "?x=private-query")
    request.resolver_match = resolve(RESET_PATH)
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (RESET_PATH,),
        None,
    )
    record.request = request
    record.status_code = 404
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Not Found: /account/password/reset/<uidb64>/<token>/"
    assert line["status"] == 404
    # The request object itself (whose text holds the query string) is not written.
    assert "private-query" not in json.dumps(line)
    assert line["request_id"] == "-"


def test_an_exception_is_one_json_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "lms", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    output = JsonFormatter().format(record)
    assert "\n" not in output
    assert "ValueError: boom" in json.loads(output)["exception"]


def test_sentry_events_lose_query_strings_bodies_and_secret_path_parts(db):
    event = {
        "request": {
            "url": "https://learn.example.org" + RESET_PATH,
            "query_string": "next=private-query",
            "data": {"email": "olena@example.org"},
            "cookies": {"sessionid": "abc"},
            "headers": {"Referer": "https://learn.example.org" + RESET_PATH},
        }
    }
    scrubbed = json.dumps(scrub_sentry_event(event, {}))
    for secret in ("c0ffee-5ecret-t0ken", "private-query", "olena@", "sessionid"):
        assert secret not in scrubbed
    assert "/account/password/reset/<uidb64>/<token>/" in scrubbed


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": "k9#Lq2!vZ8rT4mW6pX1nB3cY7hJ5dF0gS-aE_uR@oK%iN^zQwV",
    "DJANGO_ALLOWED_HOSTS": "learn.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://learn.example.org",
    "CERTIFICATE_ALLOW_UNSIGNED": "1",
    # Never reached: /healthz/ touches no database.
    "DATABASE_URL": "postgres://lms@127.0.0.1:1/lms",
    "EMAIL_HOST": "smtp.example.org",
}
PROBE = textwrap.dedent(
    """
    import json, django
    django.setup()
    import sentry_sdk
    from django.test import Client
    client = Client(HTTP_HOST="learn.example.org")
    health = client.get("/healthz/", HTTP_X_REQUEST_ID="prod-1")
    page = client.get("/learning/")
    options = sentry_sdk.get_client().options
    print(json.dumps({
        "sentry": sentry_sdk.is_initialized(),
        "pii": options.get("send_default_pii"),
        "environment": options.get("environment"),
        "traces": options.get("traces_sample_rate"),
        "health": health.status_code,
        "page": page.status_code,
    }))
    """
)


def run_production(**env) -> tuple[dict, list[dict]]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV and not key.startswith("SENTRY_")
    }
    environment.update(PRODUCTION_ENV, **env)
    result = subprocess.run(  # noqa: S603 - the probe script above
        [sys.executable, "-c", PROBE],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # Python warnings (e.g. no collected static files) are not log lines.
    logs = [json.loads(line) for line in result.stderr.splitlines() if line[:1] == "{"]
    return json.loads(result.stdout), logs


def test_production_without_a_dsn_logs_json_and_reports_nothing():
    facts, logs = run_production()
    assert facts["sentry"] is False
    # Probes speak plain HTTP: no redirect for them, as for any other page.
    assert facts["health"] == 200
    assert facts["page"] == 301
    access = [line for line in logs if line["logger"] == "lms.request"]
    assert [line["path"] for line in access] == ["/healthz/", "/learning/"]
    assert access[0]["request_id"] == "prod-1"
    assert access[1]["status"] == 301


def test_production_with_a_dsn_reports_errors_without_personal_data():
    facts, _logs = run_production(
        SENTRY_DSN="https://public@127.0.0.1:9/1", SENTRY_ENVIRONMENT="staging"
    )
    assert facts["sentry"] is True
    assert facts["pii"] is False
    assert facts["environment"] == "staging"
    assert facts["traces"] is None
