"""Production refuses to start with settings that would print wrong facts on
signed certificates, and keeps database connections healthy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from lms.settings.base import database_from_environment
from tests.lms.production_env import GOOD

# The checks only read DATABASES; no connection is made with the changed copy.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
PROJECT = Path(__file__).resolve().parents[2]


def production_env(**changes) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in GOOD}
    env.update(GOOD)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def deploy_check(**changes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=production_env(**changes),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_complete_production_configuration_passes_the_deploy_check():
    result = deploy_check()
    assert result.returncode == 0, result.stderr


def test_without_the_public_address_the_deploy_check_fails():
    # Before: certificates encoded http://127.0.0.1:8000 into signed PDFs.
    result = deploy_check(SITE_URL=None)
    assert result.returncode != 0
    assert "lms.E001" in result.stderr


def test_without_a_database_url_the_deploy_check_fails():
    result = deploy_check(DATABASE_URL=None)
    assert result.returncode != 0
    assert "lms.E005" in result.stderr


def test_without_a_signing_key_the_deploy_check_fails():
    result = deploy_check(CERTIFICATE_ALLOW_UNSIGNED=None)
    assert result.returncode != 0
    assert "lms.E003" in result.stderr


@pytest.fixture
def production(settings):
    """Production settings with every value right; a test spoils one."""
    settings.PRODUCTION = True
    settings.SITE_URL = "https://learn.example.org"
    settings.CERTIFICATE_SIGNING_P12 = ""
    settings.CERTIFICATE_ALLOW_UNSIGNED = True
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "smtp.example.org"
    default = {**settings.DATABASES["default"]}
    default["ENGINE"] = "django.db.backends.postgresql"
    settings.DATABASES = {**settings.DATABASES, "default": default}
    return settings


def lms_errors() -> list[str]:
    return [message.id for message in run_checks() if message.id.startswith("lms.")]


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://learn.example.org",
        "https://127.0.0.1:8000",
        "https://localhost",
        "https://[::1]",
        "https://0.0.0.0",
    ],
)
def test_the_public_address_must_be_https_and_not_loopback(production, url):
    production.SITE_URL = url
    assert lms_errors() == ["lms.E001"]


def test_the_public_address_has_no_path(production):
    production.SITE_URL = "https://learn.example.org/lms"
    assert lms_errors() == ["lms.E002"]


def test_a_complete_configuration_has_no_errors(production):
    assert lms_errors() == []


def test_a_signing_key_that_cannot_be_read_fails(production, tmp_path):
    production.CERTIFICATE_SIGNING_P12 = str(tmp_path / "missing.p12")
    assert lms_errors() == ["lms.E004"]


def test_development_settings_are_not_held_to_production_rules(production):
    production.PRODUCTION = False
    production.SITE_URL = "http://127.0.0.1:8000"
    production.CERTIFICATE_ALLOW_UNSIGNED = False
    production.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert lms_errors() == []


def test_production_on_the_embedded_sqlite_file_fails(production):
    default = {**production.DATABASES["default"]}
    default["ENGINE"] = "django.db.backends.sqlite3"
    production.DATABASES = {**production.DATABASES, "default": default}
    assert lms_errors() == ["lms.E005"]


@pytest.mark.parametrize("backend", ["console", "locmem", "dummy", "filebased"])
def test_production_with_an_e_mail_backend_that_delivers_nothing_fails(
    production, backend
):
    production.EMAIL_DELIVERY_BACKEND = (
        f"django.core.mail.backends.{backend}.EmailBackend"
    )
    assert lms_errors() == ["lms.E006"]


def test_kept_connections_are_health_checked_before_reuse():
    kept = database_from_environment(
        {"DATABASE_URL": "postgres://u@db/lms", "DATABASE_CONN_MAX_AGE": "60"}
    )
    assert kept["CONN_MAX_AGE"] == 60 and kept["CONN_HEALTH_CHECKS"] is True
    fresh = database_from_environment({"DATABASE_URL": "postgres://u@db/lms"})
    assert fresh["CONN_MAX_AGE"] == 0


def test_every_absolute_link_comes_from_the_one_public_address():
    from lms.settings import base

    assert base.WAGTAILADMIN_BASE_URL == base.SITE_URL
    assert base.CERTIFICATE_BASE_URL == base.SITE_URL


def test_the_default_site_follows_the_public_address(db, settings):
    from wagtail.models import Site

    from lms.site_address import sync_default_site
    from tests import factories

    factories.make_home_page()
    settings.SITE_URL = "https://learn.example.org"
    sync_default_site()
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "https://learn.example.org"


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    ],
)
def test_sending_e_mail_during_the_request_fails(production, backend):
    """Only the outbox keeps a slow mail server from holding up pages."""
    production.EMAIL_BACKEND = backend
    assert lms_errors() == ["lms.E011"]


def test_smtp_without_a_server_fails(production):
    production.EMAIL_HOST = ""
    assert lms_errors() == ["lms.E007"]


def test_without_an_smtp_server_the_deploy_check_fails():
    result = deploy_check(EMAIL_HOST=None)
    assert result.returncode != 0
    assert "lms.E007" in result.stderr


# --- reverse proxies (TRUSTED_PROXY_COUNT, lms/client_address.py) -----------


@pytest.mark.parametrize("count", ["one", "1.5", -1])
def test_a_proxy_count_that_is_not_a_whole_number_fails(production, count):
    production.TRUSTED_PROXY_COUNT = count
    assert lms_errors() == ["lms.E008"]


@pytest.mark.parametrize("count", [0, 1, 2])
def test_any_whole_proxy_count_passes(production, count):
    production.TRUSTED_PROXY_COUNT = count
    assert lms_errors() == []


def test_a_proxy_count_that_is_not_a_number_fails_the_deploy_check():
    result = deploy_check(TRUSTED_PROXY_COUNT="nginx")
    assert result.returncode != 0
    assert "lms.E008" in result.stderr
    assert "TRUSTED_PROXY_COUNT is 'nginx'" in result.stderr


def proxy_ssl_header_in_production(**changes) -> str:
    """SECURE_PROXY_SSL_HEADER as production computes it from these variables."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            "print(repr(settings.SECURE_PROXY_SSL_HEADER))",
        ],
        cwd=PROJECT,
        env=production_env(**changes),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("count", "header"),
    [
        (None, "None"),
        ("0", "None"),
        ("nginx", "None"),
        ("1", "('HTTP_X_FORWARDED_PROTO', 'https')"),
        ("2", "('HTTP_X_FORWARDED_PROTO', 'https')"),
    ],
)
def test_production_believes_x_forwarded_proto_only_behind_its_proxies(count, header):
    # Before: any client reaching gunicorn directly could claim https.
    assert proxy_ssl_header_in_production(TRUSTED_PROXY_COUNT=count) == header


def test_one_bucket_without_the_other_fails_the_deploy_check():
    result = deploy_check(MEDIA_BUCKET="lms-media")

    assert result.returncode != 0
    assert "lms.E009" in result.stderr


def test_both_buckets_over_https_pass_the_deploy_check():
    result = deploy_check(
        MEDIA_BUCKET="lms-media",
        PRIVATE_MEDIA_BUCKET="lms-private",
        AWS_S3_ENDPOINT_URL="https://storage.example.org",
    )

    assert result.returncode == 0, result.stderr


def test_a_plain_http_storage_endpoint_fails_the_deploy_check():
    result = deploy_check(
        MEDIA_BUCKET="lms-media",
        PRIVATE_MEDIA_BUCKET="lms-private",
        AWS_S3_ENDPOINT_URL="http://storage.example.org",
    )

    assert result.returncode != 0
    assert "lms.E010" in result.stderr
