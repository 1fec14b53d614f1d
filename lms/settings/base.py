"""Settings shared by every environment; dev, test and production refine them."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from lms.client_address import proxy_count_from_environment

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "lms",
    "courses",
    "certificates",
    "content",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
    "wagtail.contrib.routable_page",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "polymorphic",
    "django_tasks_db",
    "post_office",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: a request id for every log line and response, and one access
    # log line per request, redirects and refusals included (lms/request_id.py).
    "lms.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Wagtail site of the request from the shared cache (lms/page_cache.py).
    "lms.page_cache.CachedSiteMiddleware",
    "lms.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user's row from the shared cache (lms/user_cache.py).
    "lms.user_cache.AuthenticationMiddleware",
    "lms.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "lms.login_limits.LoginLimitMiddleware",
]

ROOT_URLCONF = "lms.urls"
# Forms sent without a valid token get a Ukrainian page saying what to do.
CSRF_FAILURE_VIEW = "lms.errors.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "lms.wsgi.application"

# Production settings set this; the checks in lms/checks.py apply only then.
PRODUCTION = False


def database_from_environment(environ) -> dict:
    """The default database: SQLite embedded, PostgreSQL when DATABASE_URL says.

    A connection kept between requests (DATABASE_CONN_MAX_AGE seconds) is
    checked before each request reuses it, so a backend that PostgreSQL or a
    pooler closed meanwhile is replaced instead of failing the request.
    """
    max_age = int(environ.get("DATABASE_CONN_MAX_AGE", "0"))
    return dj_database_url.parse(
        environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=max_age,
        conn_health_checks=max_age != 0,
    )


DATABASES = {"default": database_from_environment(os.environ)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one request writes; IMMEDIATE transactions
    # queue writers instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Refuses sign-in from an address with too many failures (any account).
    "lms.login_limits.ClientLoginLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/account/login/"
LOGIN_REDIRECT_URL = "/learning/"

# The privacy notice people agree to when they register; raise the version
# whenever the notice changes, since each consent record stores it.
PRIVACY_NOTICE_VERSION = "1.0"
PRIVACY_NOTICE_URL = "/privacy/"

# --- client address behind reverse proxies (lms/client_address.py) ---------
# 0: clients reach the app server directly and REMOTE_ADDR is the client.
# N: N proxies of this site stand in front, each appending to X-Forwarded-For;
# the N-th entry from the right is the client. Also decides whether production
# believes X-Forwarded-Proto (lms/settings/production.py).
TRUSTED_PROXY_COUNT = proxy_count_from_environment(os.environ)
# --- end of client address --------------------------------------------------

# Login lockout: five failures for one account from one address lock it for
# an hour; the message is Ukrainian through the catalogue.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lms/lockout.html"
AXES_USERNAME_FORM_FIELD = "username"
# Lower case and cut to axes' 255-character column: an overlong username is a
# failed sign-in, never a database error.
AXES_USERNAME_CALLABLE = "lms.login_limits.axes_username"
# The client's address as every limit of the site sees it, behind proxies too
# (TRUSTED_PROXY_COUNT above).
AXES_CLIENT_IP_CALLABLE = "lms.client_address.client_address"
# Failed sign-ins per client address across all accounts (lms.login_limits);
# generous, since an office may sign in from one address.
LOGIN_FAILURES_PER_CLIENT = os.environ.get("LOGIN_FAILURES_PER_CLIENT", "30/h")
# Password-reset requests per client address; e-mails per address are limited
# to one in five minutes (lms.accounts.services.EMAIL_INTERVAL_SECONDS).
PASSWORD_RESETS_PER_CLIENT = os.environ.get("PASSWORD_RESETS_PER_CLIENT", "10/h")

LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Ukrainian"))]
# The project's catalogue, then the Wagtail admin strings Wagtail's own
# Ukrainian catalogue lacks (lms/admin_i18n.py).
LOCALE_PATHS = [BASE_DIR / "locale", PROJECT_DIR / "wagtail_locale"]
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
# --- Media storage ------------------------------------------------------------
# "default": public media (Wagtail images and documents); "private": issued
# certificate PDFs and their image snapshots (certificates/storage.py), never
# given a URL. Both are local folders here; production moves either to an
# S3-compatible bucket when the environment names one (s3_media_storages).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "certificates.storage.PrivateFileStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Key prefixes inside the buckets, so one bucket may hold both kinds if its
# policy lets the public read only PUBLIC_MEDIA_PREFIX/* (docs/architecture.md).
PUBLIC_MEDIA_PREFIX = "media"
PRIVATE_MEDIA_PREFIX = "private"


def s3_media_storages(environ) -> dict:
    """STORAGES entries for the buckets the environment names, none without.

    MEDIA_BUCKET holds public media, read by browsers at unsigned URLs
    (AWS_S3_CUSTOM_DOMAIN, e.g. a CDN, if set); PRIVATE_MEDIA_BUCKET holds the
    private files, read only through the storage API by the site's views.
    The connection (AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY) is shared; unset values fall back to boto3's own
    credential chain. Names are never overwritten, as on the file system.
    """
    connection = {
        option: environ[variable]
        for option, variable in (
            ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
            ("region_name", "AWS_S3_REGION_NAME"),
            ("access_key", "AWS_ACCESS_KEY_ID"),
            ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        )
        if environ.get(variable)
    }
    connection["file_overwrite"] = False
    result = {}
    if environ.get("MEDIA_BUCKET"):
        public = {
            **connection,
            "bucket_name": environ["MEDIA_BUCKET"],
            "location": PUBLIC_MEDIA_PREFIX,
            "querystring_auth": False,
        }
        if environ.get("AWS_S3_CUSTOM_DOMAIN"):
            public["custom_domain"] = environ["AWS_S3_CUSTOM_DOMAIN"]
        result["default"] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": public,
        }
    if environ.get("PRIVATE_MEDIA_BUCKET"):
        result["private"] = {
            "BACKEND": "certificates.storage.PrivateS3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": environ["PRIVATE_MEDIA_BUCKET"],
                "location": PRIVATE_MEDIA_PREFIX,
            },
        }
    return result


def public_media_origins(environ) -> list[str]:
    """Where browsers fetch public media from when it is in a bucket, for the
    content security policy's img-src; empty when it is served by the site.

    Mirrors the URLs S3Storage makes: the custom domain; else the endpoint
    (boto3 addresses buckets of a custom endpoint by path); else AWS's
    virtual-hosted names of the bucket.
    """
    bucket = environ.get("MEDIA_BUCKET")
    if not bucket:
        return []
    if environ.get("AWS_S3_CUSTOM_DOMAIN"):
        return ["https://" + environ["AWS_S3_CUSTOM_DOMAIN"].split("/")[0]]
    if environ.get("AWS_S3_ENDPOINT_URL"):
        parts = urlsplit(environ["AWS_S3_ENDPOINT_URL"])
        return [f"{parts.scheme}://{parts.netloc}"]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if environ.get("AWS_S3_REGION_NAME"):
        origins.append(
            f"https://{bucket}.s3.{environ['AWS_S3_REGION_NAME']}.amazonaws.com"
        )
    return origins


# --- end of media storage -----------------------------------------------------

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Розумна взаємодія"
# The site's public address: every absolute link the site sends or prints
# (QR codes and verification addresses on certificates, e-mails, Wagtail's
# moderation e-mails) starts with it; see lms/site_address.py. Production
# requires an https:// address (lms/checks.py).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Wagtail's own admin links; the project's moderation e-mails take SITE_URL
# itself (lms/templatetags/moderation_mail.py). No other settings module sets
# either, so they stay one address (tests/lms/test_moderation_emails.py).
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("uk", "Українська")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("uk", "Українська"), ("en", "English")]
# Wagtail's database backend, with word-form matching for the learners' search
# on PostgreSQL (content/search_backend.py; a string: lms imports nothing above).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "content.search_backend"}}
WAGTAILEMBEDS_FINDERS = []  # oEmbed would call out to providers at run time.
# No avatars from gravatar.com: the admin makes no request outside the site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Wagtail's "what's new" banner links to its English release notes.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Draftail with an accessible name on every rich-text field (lms/rich_text.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "lms.rich_text.LabelledDraftailRichTextArea"}
}

# Documents: only formats that cannot run script in a browser, served as
# downloads with a size limit.
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "odt",
    "xlsx",
    "ods",
    "pptx",
    "odp",
    "csv",
    "txt",
    "mp4",
    "webm",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024

# Every e-mail is written to an outbox (django-post-office) and sent by the
# task worker through EMAIL_DELIVERY_BACKEND, never during a request
# (lms/outbox.py). Development prints the messages on the console.
EMAIL_BACKEND = "post_office.EmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds an SMTP connection may take before the attempt counts as failed.
EMAIL_TIMEOUT = 10
POST_OFFICE = {
    "BACKENDS": {"default": EMAIL_DELIVERY_BACKEND},
    "DEFAULT_PRIORITY": "medium",
    # Five retries, 2, 4, 8, 16 and 32 minutes apart, then "failed".
    "MAX_RETRIES": 5,
    "RETRY_INTERVAL": timedelta(minutes=2),
    "LOG_LEVEL": 1,
    "MESSAGE_ID_ENABLED": True,
}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "noreply@rozumna-vzaiemodiia.ua"
)

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Content security policy for the public site: no inline script or style, no
# third-party origins. The Wagtail admin needs inline script (see docs/).
CSP_PUBLIC = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "media-src 'self'; frame-src 'none'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
CSP_ADMIN = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; media-src 'self'; "
    "frame-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)
CSP_ADMIN_PREFIXES = ("/admin/",)

# Seconds after a quiz attempt's deadline in which answers still count: the
# time a submit takes to arrive on a slow connection.
QUIZ_GRACE_SECONDS = 30

# --- Certificates (certificates app) -----------------------------------------
# Register numbers: ``year`` and ``number`` (the per-year sequence) are given.
CERTIFICATE_NUMBER_FORMAT = os.environ.get(
    "CERTIFICATE_NUMBER_FORMAT", "РВ-{year}-{number:06d}"
)
# The public address printed in QR codes: the site's own, which must then
# stay stable (issued certificates print it for good).
CERTIFICATE_BASE_URL = SITE_URL
# Issued PDFs and snapshots of the images they print. Never under MEDIA_ROOT
# and never served by the web server: downloads go through a view that checks
# who is asking. Several app servers use PRIVATE_MEDIA_BUCKET instead (see
# s3_media_storages); this folder is then unused.
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private"))
)
# Requests per client address to the public verification pages, per window
# (s, m, h). Counters live in the default cache: per process with LocMem in
# development; production needs a shared cache (Redis) for a real limit.
VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30/m")
# --- end of certificates -----------------------------------------------------

# The provider's PKCS#12 key that signs certificates (PAdES); unsigned without it.
# Production refuses to start without one unless CERTIFICATE_ALLOW_UNSIGNED=1.
CERTIFICATE_SIGNING_P12 = os.environ.get("CERTIFICATE_SIGNING_P12", "")
CERTIFICATE_SIGNING_PASSWORD = os.environ.get("CERTIFICATE_SIGNING_PASSWORD", "")
CERTIFICATE_ALLOW_UNSIGNED = os.environ.get("CERTIFICATE_ALLOW_UNSIGNED", "") == "1"
