"""Bench certificates: snapshots, register numbers, one real PDF for all.

Certificates are kept until every learner is made (a few fields each), then
numbered in the order of issue, year by year, after the per-year counter,
which ends at the last number given, as ``certificates.numbering`` leaves it.
The PDF of the first is rendered through the real pipeline and stored once
on private storage; every bench certificate points to it with its SHA-256.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Max

from certificates.issuing import certificate_data, snapshot_image
from certificates.models import (
    KYIV,
    Certificate,
    CertificateCounter,
    CertificateDesign,
)
from certificates.numbering import format_number
from certificates.pdf import build_certificate_pdf
from certificates.signing import signing_enabled
from certificates.storage import private_storage
from content.benchdata import BENCH_DOMAIN, BENCH_PDF_FOLDER, BenchDataError, tables

REVOCATION_REASONS = [
    "Помилка в імені власника сертифіката",
    "Сертифікат видано помилково: курс зараховано іншій особі",
    "Порушення академічної доброчесності під час підсумкового тесту",
]


@dataclass(frozen=True)
class Pending:
    """What a bench certificate needs from its learner's journey."""

    issued_at: datetime
    learner_id: int
    enrolment_id: int
    holder_name: str
    completed_at: datetime
    revoked_at: datetime | None
    reason: str


class Register:
    """Collects bench certificates and writes them numbered, in order of issue."""

    def __init__(self, course):
        design = CertificateDesign.objects.current()
        if design is None:
            raise BenchDataError(
                "Немає опублікованого дизайну сертифіката: запустіть seed_demo "
                "або опублікуйте дизайн в адмінці."
            )
        self.snapshot = _snapshot(course, design)
        self.revoked_by = _administrator_id()
        self.pending: list[Pending] = []

    def add(self, pending: Pending) -> None:
        self.pending.append(pending)

    def write(self, *, batch_size: int) -> int:
        """Numbers, renders the one PDF and writes every certificate kept."""
        if not self.pending:
            return 0
        self.pending.sort(key=lambda p: (p.issued_at, p.enrolment_id))
        serials = _allocate(self.pending)
        # The PDF is the first certificate's own, down to its verification code.
        code = secrets.token_urlsafe(24)
        pdf = self._sample_pdf(self.pending[0], serials[0], code)
        rows = []
        for pending, (year, serial) in zip(self.pending, serials, strict=True):
            rows.append(self._row(pending, year, serial, code, pdf))
            code = secrets.token_urlsafe(24)
            if len(rows) >= batch_size:
                tables.write(tables.CERTIFICATES, rows)
                rows = []
        tables.write(tables.CERTIFICATES, rows)
        return len(self.pending)

    def _row(self, pending: Pending, year, serial, code, pdf) -> tuple:
        s, (pdf_name, pdf_sha256) = self.snapshot, pdf
        revoked = pending.revoked_at is not None
        return (
            format_number(year=year, serial=serial), year, serial,
            code, pending.learner_id, s["course_id"],
            pending.enrolment_id, pending.holder_name, s["course_title"],
            s["programme_code"], s["hours"], s["credits"], s["outcomes"],
            s["provider_name"], s["signer_name"], s["signer_position"],
            s["heading"], s["statement"], s["completion_text"], s["logo"],
            s["logo_sha256"], s["signature_image"], s["signature_sha256"],
            s["design_id"], pending.completed_at.astimezone(KYIV).date(),
            pending.issued_at.astimezone(KYIV).date(), pending.issued_at, None,
            pdf_name, pdf_sha256, s["signed"],
            Certificate.Status.REVOKED if revoked else Certificate.Status.VALID,
            pending.revoked_at, self.revoked_by if revoked else None, pending.reason,
        )  # fmt: skip

    def _sample_pdf(self, pending: Pending, allocated, code) -> tuple[str, str]:
        """The first certificate's PDF, rendered for real and stored once."""
        year, serial = allocated
        certificate = Certificate(
            number=format_number(year=year, serial=serial),
            verification_code=code,
            holder_name=pending.holder_name,
            completed_on=pending.completed_at.astimezone(KYIV).date(),
            issued_on=pending.issued_at.astimezone(KYIV).date(),
            **{
                key: value
                for key, value in self.snapshot.items()
                if key not in ("outcomes", "signed", "course_id", "design_id")
            },
            outcomes=json.loads(self.snapshot["outcomes"]),
        )
        content = build_certificate_pdf(certificate_data(certificate))
        digest = hashlib.sha256(content).hexdigest()
        name = f"{BENCH_PDF_FOLDER}{digest}.pdf"
        storage = private_storage()
        if not storage.exists(name):
            name = storage.save(name, ContentFile(content))
        return name, digest


def _snapshot(course, design: CertificateDesign) -> dict:
    """The fields every bench certificate shares, as ``_create_certificate``
    takes them from the course and the current design."""
    logo, logo_sha256 = snapshot_image(design.logo)
    signature, signature_sha256 = snapshot_image(design.signature_image)
    return {
        "course_id": course.pk,
        "course_title": course.title,
        "programme_code": course.programme_code,
        "hours": course.hours,
        "credits": course.credits,
        "outcomes": json.dumps(list(course.outcome_texts), ensure_ascii=False),
        "provider_name": course.provider_name,
        "signer_name": design.signer_name,
        "signer_position": design.signer_position,
        "heading": design.heading,
        "statement": design.statement,
        "completion_text": design.completion_text,
        "logo": logo,
        "logo_sha256": logo_sha256,
        "signature_image": signature,
        "signature_sha256": signature_sha256,
        "design_id": design.pk,
        "signed": signing_enabled(),
    }


def _administrator_id() -> int | None:
    """Who revokes bench certificates: the first active administrator, if any."""
    return (
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email__iendswith=f"@{BENCH_DOMAIN}")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _allocate(pending: list[Pending]) -> list[tuple[int, int]]:
    """(year, serial) for each certificate, in order, past each year's counter.

    The counter rows are locked for the rest of the transaction, as
    ``allocate_number`` locks them, and end at the last serial given.
    """
    years = [p.issued_at.astimezone(KYIV).year for p in pending]
    last = {}
    for year in sorted(set(years)):
        CertificateCounter.objects.bulk_create(
            [CertificateCounter(year=year, last_number=0)], ignore_conflicts=True
        )
        counter = CertificateCounter.objects.select_for_update().get(year=year)
        highest = Certificate.objects.filter(year=year).aggregate(Max("serial"))
        last[year] = max(counter.last_number, highest["serial__max"] or 0)
    allocated = []
    for year in years:
        last[year] += 1
        allocated.append((year, last[year]))
    for year, serial in last.items():
        CertificateCounter.objects.filter(year=year).update(last_number=serial)
    return allocated
