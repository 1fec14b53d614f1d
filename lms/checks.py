"""System checks of the settings production needs.

Registered for every command that runs checks (``check``, ``check
--deploy``, ``migrate``, ``runserver``) but active only under production
settings (``settings.PRODUCTION``), so a missing or unsafe value stops the
deployment before it serves a page or issues a certificate.
"""

import ipaddress
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

from lms.client_address import is_valid_proxy_count
from lms.site_address import site_url


def _is_local(hostname: str) -> bool:
    if hostname in ("localhost", "") or hostname.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(hostname)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_link_local


@register("lms")
def check_site_url(app_configs=None, **kwargs) -> list[Error]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    url = site_url()
    parts = urlsplit(url)
    if not url or parts.scheme != "https" or _is_local(parts.hostname or ""):
        return [
            Error(
                f"SITE_URL is {url!r}: it must be the site's public https:// "
                "address. Certificates print it in QR codes and e-mails link "
                "to it, so a loopback or plain-http address would be printed "
                "into signed certificates that cannot be changed.",
                hint="Set SITE_URL, e.g. SITE_URL=https://learn.example.org",
                id="lms.E001",
            )
        ]
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return [
            Error(
                f"SITE_URL is {url!r}: give the scheme and host only, no path.",
                id="lms.E002",
            )
        ]
    return []


@register("lms")
def check_signing_key(app_configs=None, **kwargs) -> list[Error]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    key = settings.CERTIFICATE_SIGNING_P12
    if key and not os.access(key, os.R_OK):
        return [
            Error(
                f"CERTIFICATE_SIGNING_P12 names {key!r}, which cannot be read.",
                hint="Give the path of a readable PKCS#12 file.",
                id="lms.E004",
            )
        ]
    if key or settings.CERTIFICATE_ALLOW_UNSIGNED:
        return []
    return [
        Error(
            "No key signs certificates: CERTIFICATE_SIGNING_P12 is not set. HR "
            "offices must check the electronic signature of a training "
            "certificate, so production issues signed certificates only.",
            hint=(
                "Set CERTIFICATE_SIGNING_P12 (the path of the provider's PKCS#12 "
                "key) and CERTIFICATE_SIGNING_PASSWORD, or set "
                "CERTIFICATE_ALLOW_UNSIGNED=1 to issue unsigned certificates "
                "knowingly."
            ),
            id="lms.E003",
        )
    ]


@register("lms")
def check_database(app_configs=None, **kwargs) -> list[Error]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        return [
            Error(
                "The database is the embedded SQLite file: production needs "
                "PostgreSQL, whose locks keep attempts, certificates and seats "
                "counted once when many people act at the same moment.",
                hint="Set DATABASE_URL, e.g. postgres://lms@db.internal:5432/lms",
                id="lms.E005",
            )
        ]
    return []


OUTBOX_BACKEND = "post_office.EmailBackend"
# E-mail backends that send nothing anyone receives.
_NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register("lms")
def check_email(app_configs=None, **kwargs) -> list[Error]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    if settings.EMAIL_BACKEND != OUTBOX_BACKEND:
        return [
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: pages would send "
                "e-mail while the visitor waits, and a slow or failing mail "
                "server would make them hang or fail.",
                hint=f"Keep EMAIL_BACKEND = {OUTBOX_BACKEND!r} (the outbox the "
                "task worker empties) and choose the sending backend with "
                "EMAIL_DELIVERY_BACKEND.",
                id="lms.E011",
            )
        ]
    delivery = settings.EMAIL_DELIVERY_BACKEND
    if delivery in _NON_DELIVERING_BACKENDS:
        return [
            Error(
                f"EMAIL_DELIVERY_BACKEND is {delivery}, which delivers no "
                "mail: nobody could confirm an address or reset a password.",
                hint="Leave EMAIL_DELIVERY_BACKEND unset (SMTP) and set EMAIL_HOST.",
                id="lms.E006",
            )
        ]
    smtp = delivery == "django.core.mail.backends.smtp.EmailBackend"
    if smtp and not settings.EMAIL_HOST:
        return [
            Error(
                "EMAIL_HOST is not set: the site would have no server to send "
                "confirmation and password-reset e-mails through.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, "
                "EMAIL_HOST_PASSWORD, EMAIL_USE_TLS as the server needs); "
                "EMAIL_HOST=localhost for a mail server on the machine.",
                id="lms.E007",
            )
        ]
    return []


@register("lms")
def check_trusted_proxy_count(app_configs=None, **kwargs) -> list[Error]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    value = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if is_valid_proxy_count(value):
        return []
    return [
        Error(
            f"TRUSTED_PROXY_COUNT is {value!r}: it must be a whole number, 0 or "
            "more. The site would otherwise trust no proxy header, so behind "
            "a proxy every visitor would share one address for rate limits "
            "and sign-in lockouts, and https would not be recognised.",
            hint=(
                "Set TRUSTED_PROXY_COUNT to the number of the site's own "
                "reverse proxies in front of the app server (1 for one nginx), "
                "or 0 (or leave it unset) when clients reach it directly."
            ),
            id="lms.E008",
        )
    ]


S3_BACKENDS = (
    "storages.backends.s3.S3Storage",
    "storages.backends.s3boto3.S3Boto3Storage",
    "certificates.storage.PrivateS3Storage",
)


@register("lms")
def check_media_storage(app_configs=None, **kwargs) -> list[Error]:
    """Both kinds of media in buckets or neither, reached over TLS.

    With one bucket variable set and not the other, one kind of file stays
    on a single machine's disk, which a second server cannot read.
    """
    if not getattr(settings, "PRODUCTION", False):
        return []
    storages = settings.STORAGES
    in_buckets = {
        name: storages.get(name, {}).get("BACKEND") in S3_BACKENDS
        for name in ("default", "private")
    }
    errors = []
    if in_buckets["default"] != in_buckets["private"]:
        errors.append(
            Error(
                "Only one of MEDIA_BUCKET and PRIVATE_MEDIA_BUCKET is set.",
                hint=(
                    "Set both (public media and certificate PDFs in object "
                    "storage) or neither (both on this machine's disk)."
                ),
                id="lms.E009",
            )
        )
    endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "")
    if any(in_buckets.values()) and endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme != "https" and not _is_local(parts.hostname or ""):
            errors.append(
                Error(
                    "AWS_S3_ENDPOINT_URL is not https: keys and certificate PDFs "
                    "would travel unencrypted.",
                    hint="Use the storage's https:// endpoint.",
                    id="lms.E010",
                )
            )
    return errors
