"""Public verification: what anyone holding a verification code may learn.

Only the unguessable code (192 bits) opens a certificate's facts; a number
alone never does. Every lookup runs the same single query whether or not the
code exists, and a number typed next to a code is compared in constant time,
so neither answers nor timing tell numbers or codes apart.

JSON answer (``/certificates/verify/<code>.json``), described by
``VERIFICATION_SCHEMA`` and served at ``/certificates/verification-schema.json``.
"""

import unicodedata

from django.utils import timezone
from django.utils.crypto import constant_time_compare

from certificates.models import KYIV, Certificate

SCHEMA_VERSION = "1"

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_NULLABLE_DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}

VERIFICATION_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Certificate verification",
    "description": (
        "Facts about one certificate of the «Розумна взаємодія» learning "
        "platform, found by its verification code. An unknown code answers "
        'HTTP 404 with {"schema_version": "1", "status": "not_found"}; '
        'too many requests answer HTTP 429 with status "rate_limited".'
    ),
    "type": "object",
    "additionalProperties": False,
    "required": [
        "schema_version",
        "status",
        "number",
        "holder_name",
        "programme_title",
        "programme_code",
        "provider_name",
        "hours",
        "ects_credits",
        "completed_on",
        "issued_on",
        "revoked_on",
        "superseded_by",
        "digitally_signed",
        "pdf_sha256",
        "verification_url",
    ],  # fmt: skip
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "status": {
            "enum": ["valid", "revoked", "superseded"],
            "description": "Only «valid» certifies the training.",
        },
        "number": {"type": "string", "description": "Register number."},
        "holder_name": {
            "type": "string",
            "description": "Surname, given name, patronymic, as printed.",
        },
        "programme_title": {"type": "string"},
        "programme_code": {"type": "string"},
        "provider_name": {"type": "string"},
        "hours": {"type": "integer", "minimum": 1},
        "ects_credits": {
            "type": "string",
            "pattern": r"^\d+\.\d{2}$",
            "description": "Decimal string; 1 ECTS credit = 30 hours.",
        },
        "completed_on": _DATE,
        "issued_on": _DATE,
        "revoked_on": _NULLABLE_DATE,
        "superseded_by": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "required": ["number", "verification_url"],
            "properties": {
                "number": {"type": "string"},
                "verification_url": {"type": "string"},
            },
        },
        "digitally_signed": {
            "type": "boolean",
            "description": "Whether the PDF carries the provider's PAdES signature.",
        },
        "pdf_sha256": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
            "description": "SHA-256 of the issued PDF file, to compare a copy with.",
        },
        "verification_url": {"type": "string"},
    },
}

# Compared against when a code is unknown, so a miss does the same work.
_ABSENT_NUMBER = "\u2400" * 20

# Latin letters that look like Cyrillic ones, as people type them in numbers.
_LOOKALIKES = str.maketrans("ABCEHIKMOPTXY", "АВСЕНІКМОРТХУ")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-",
                         "\u2013": "-", "\u2014": "-", "\u2212": "-"})  # fmt: skip


def find_by_code(code: str) -> Certificate | None:
    """The certificate with this code, with what the public page shows: 1 query."""
    return (
        Certificate.objects.select_related("superseded_by")
        .filter(verification_code=code)
        .first()
    )


def comparable_number(number: str) -> str:
    """Upper case, plain hyphens, Cyrillic letters for Latin look-alikes."""
    value = unicodedata.normalize("NFKC", number or "").strip().upper()
    return "".join(value.translate(_DASHES).translate(_LOOKALIKES).split())


def find_by_number_and_code(*, number: str, code: str) -> Certificate | None:
    """The certificate only when both its number and its code match."""
    certificate = find_by_code(code.strip())
    expected = certificate.number if certificate else _ABSENT_NUMBER
    matches = constant_time_compare(
        comparable_number(number), comparable_number(expected)
    )
    return certificate if certificate is not None and matches else None


def public_facts(certificate: Certificate) -> dict:
    """The verification JSON; nothing beyond what the printed certificate says."""
    successor = certificate.superseded_by
    return {
        "schema_version": SCHEMA_VERSION,
        "status": certificate.status,
        "number": certificate.number,
        "holder_name": certificate.holder_name,
        "programme_title": certificate.course_title,
        "programme_code": certificate.programme_code,
        "provider_name": certificate.provider_name,
        "hours": certificate.hours,
        "ects_credits": f"{certificate.credits:.2f}",
        "completed_on": certificate.completed_on.isoformat(),
        "issued_on": certificate.issued_on.isoformat(),
        "revoked_on": (
            _local_date(certificate.revoked_at) if certificate.revoked_at else None
        ),
        "superseded_by": (
            {
                "number": successor.number,
                "verification_url": successor.verification_url,
            }
            if successor is not None
            else None
        ),
        "digitally_signed": certificate.signed,
        "pdf_sha256": certificate.pdf_sha256,
        "verification_url": certificate.verification_url,
    }


def not_found_facts() -> dict:
    return {"schema_version": SCHEMA_VERSION, "status": "not_found"}


def _local_date(moment) -> str:
    return timezone.localtime(moment, KYIV).date().isoformat()
