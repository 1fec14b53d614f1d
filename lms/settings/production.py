"""Production: every secret and host comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from lms.client_address import secure_proxy_ssl_header

from .base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


DEBUG = False
PRODUCTION = True
SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = _required("DJANGO_ALLOWED_HOSTS").split(",")
# Forms are accepted from the site's own https origins, and from any origin
# named in DJANGO_CSRF_TRUSTED_ORIGINS (make serve names its local
# http://127.0.0.1:8080, where the local nginx stands in for TLS).
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS] + [
    origin.strip()
    for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

SECURE_SSL_REDIRECT = True
# X-Forwarded-Proto is believed only from the site's own proxy
# (TRUSTED_PROXY_COUNT >= 1, deploy/nginx/rozumna.conf sets it); reached
# directly, anyone could send it, so TLS must then end in gunicorn itself.
SECURE_PROXY_SSL_HEADER = secure_proxy_ssl_header(TRUSTED_PROXY_COUNT)  # noqa: F405
SECURE_HSTS_SECONDS = 63_072_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
# The Wagtail editor previews pages in a frame of the site's own origin, so
# framing is limited to the same origin (also by CSP frame-ancestors 'self')
# rather than denied; the check that asks for DENY is silenced for that reason.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
# --- Media storage: S3-compatible buckets when the environment names them ----
# MEDIA_BUCKET (public media) and PRIVATE_MEDIA_BUCKET (certificate PDFs and
# images) with AWS_S3_* / AWS_* connection values; see s3_media_storages.
# Without them media stays on this machine's disk (MEDIA_ROOT,
# PRIVATE_MEDIA_ROOT). Browsers then load images from the bucket's origin.
STORAGES.update(s3_media_storages(os.environ))  # noqa: F405
_media_origins = " ".join(public_media_origins(os.environ))  # noqa: F405
if _media_origins:
    CSP_PUBLIC = CSP_PUBLIC.replace(  # noqa: F405
        "img-src 'self'", f"img-src 'self' {_media_origins}", 1
    )
    CSP_ADMIN = CSP_ADMIN.replace(  # noqa: F405
        "img-src 'self'", f"img-src 'self' {_media_origins}", 1
    )
# --- end of media storage ----------------------------------------------------
# The worker delivers the outbox through this backend (lms/outbox.py).
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
POST_OFFICE = {  # noqa: F405
    **POST_OFFICE,  # noqa: F405
    "BACKENDS": {"default": EMAIL_DELIVERY_BACKEND},
}
# Empty unless given: lms/checks.py refuses SMTP without a server named.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Production keeps database connections between requests (60 s unless
# DATABASE_CONN_MAX_AGE says otherwise; 0 turns it off, e.g. behind
# PgBouncer), checked before reuse: a new PostgreSQL connection for every
# request cost the database about three times the CPU of the request itself.
DATABASES = {
    "default": database_from_environment(  # noqa: F405
        {"DATABASE_CONN_MAX_AGE": "60", **os.environ}
    )
}

# Every app server must see the same cache: the outline version that
# invalidates cached pages and the verification rate-limit counters live there.
CACHES = {
    "default": {
        "BACKEND": "lms.redis_cache.RedisCache",
        "LOCATION": _required("REDIS_URL"),
    }
}
# Sessions are read from Redis and written through to PostgreSQL: a signed-in
# page no longer queries the session table, and a Redis restart loses no
# session (the database copy is read back).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# --- Logs and error reports (lms/logging_json.py, lms/request_id.py) --------
# One JSON object a line on the console, each with the request id; one access
# line per request from "lms.request". What a line may hold: lms/logging_json.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "lms.request_id.RequestIdFilter"}},
    "formatters": {"json": {"()": "lms.logging_json.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"lms.request": {"level": "INFO"}},
}
# Load balancers probe the app servers over plain HTTP (lms/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]

# Error reports to Sentry only when SENTRY_DSN is set. No personal data: no
# users, addresses, cookies, request bodies or local variables; query strings
# dropped and secret path parts redacted (lms.logging_json.scrub_sentry_event).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    from lms.logging_json import scrub_sentry_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        # No performance tracing unless a rate is given (e.g. "0.05").
        traces_sample_rate=(
            float(os.environ["SENTRY_TRACES_SAMPLE_RATE"])
            if os.environ.get("SENTRY_TRACES_SAMPLE_RATE")
            else None
        ),
        before_send=scrub_sentry_event,
    )
# --- end of logs and error reports ---------------------------------------
