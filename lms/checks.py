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
    if settings.EMAIL_BACKEND in _NON_DELIVERING_BACKENDS:
        return [
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which delivers no "
                "mail: nobody could confirm an address or reset a password.",
                hint="Leave EMAIL_BACKEND unset (SMTP) and set EMAIL_HOST.",
                id="lms.E006",
            )
        ]
    smtp = settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
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
