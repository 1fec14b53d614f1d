"""Issuing, revoking and re-issuing certificates.

Every write here runs in one transaction: the enrolment row is locked so one
learner's certificate for a course is made once, the register number comes
from the per-year counter locked in the same transaction, and the PDF is
built before the row is written, so a failure leaves nothing half-done.
A revoked certificate is final: the learner cannot issue a new one for the
course, and only an administrator's re-issue replaces a valid one.
"""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from certificates.document import CertificateData
from certificates.models import (
    KYIV,
    Certificate,
    CertificateDesign,
    NameConfirmation,
)
from certificates.numbering import allocate_number
from certificates.pdf import build_certificate_pdf
from certificates.signing import signing_enabled
from certificates.storage import private_storage
from courses.models import Enrolment
from lms.names import normalise_name, validate_name

logger = logging.getLogger(__name__)

# Images are printed small; a bounded PNG keeps every PDF light and lets the
# renderer read one well-supported format whatever the editor uploaded.
IMAGE_RENDITION = "max-800x400|format-png"

ACTION_ISSUE = "certificates.issue"
ACTION_REVOKE = "certificates.revoke"
ACTION_REISSUE = "certificates.reissue"


class IssuingError(Exception):
    """Base class; the message tells a person what to do."""


class CourseNotCompleted(IssuingError):
    pass


class NameNotConfirmed(IssuingError):
    pass


class InvalidHolderName(IssuingError):
    pass


class NoCertificateDesign(IssuingError):
    pass


class CertificateWasRevoked(IssuingError):
    pass


class CertificateBuildFailed(IssuingError):
    pass


class CertificateNotValid(IssuingError):
    pass


class ReasonRequired(IssuingError):
    pass


class NotPermitted(IssuingError):
    pass


# Names -----------------------------------------------------------------------


def clean_holder_name(value: str) -> str:
    """The name normalised for printing; InvalidHolderName says what is wrong."""
    name = normalise_name(value)
    if not name:
        raise InvalidHolderName(_("Enter the name as it should be printed."))
    if len(name) > Certificate._meta.get_field("holder_name").max_length:
        raise InvalidHolderName(_("The name is too long."))
    try:
        validate_name(name)
    except ValidationError as error:
        raise InvalidHolderName(" ".join(error.messages)) from error
    return name


def confirmed_name(*, user) -> str | None:
    """The name the learner last confirmed for printing, if any."""
    confirmation = NameConfirmation.objects.filter(user=user).first()
    return confirmation.printed_name if confirmation else None


def confirm_name(*, user, printed_name: str) -> NameConfirmation:
    """Records how the learner wants their name printed from now on."""
    confirmation = NameConfirmation(
        user=user, printed_name=clean_holder_name(printed_name)
    )
    confirmation.full_clean()
    confirmation.save()
    return confirmation


def forget_name_confirmations(user) -> None:
    """Anonymisation: the confirmed names go; issued certificates stay in the
    register, which HR offices rely on, with the name they were issued to."""
    NameConfirmation.objects.filter(user=user).delete()


# Issuing ---------------------------------------------------------------------


def issue_certificate(
    *, enrolment: Enrolment, holder_name: str | None = None, issued_by=None
) -> Certificate:
    """The learner's valid certificate for the course, issued now if there is none.

    Without ``holder_name`` the learner's confirmed name is printed; an
    administrator's bulk run may pass the profile name instead. A second call
    returns the certificate the first one made.
    """
    existing = Certificate.objects.valid().filter(enrolment_id=enrolment.pk).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        # Serialises issuing for this learner and course: the second of two
        # parallel calls waits here, then finds the first one's certificate.
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        certificates = list(
            Certificate.objects.filter(
                learner_id=locked.learner_id, course_id=locked.course_id
            ).exclude(status=Certificate.Status.SUPERSEDED)
        )
        for certificate in certificates:
            if certificate.is_valid:
                return certificate
        if certificates:
            raise CertificateWasRevoked(
                _(
                    "The certificate for this course was revoked. Contact the "
                    "administrators if you think this is a mistake."
                )
            )
        if locked.completed_at is None:
            raise CourseNotCompleted(_("The course is not completed yet."))
        if holder_name is None:
            holder_name = confirmed_name(user=locked.learner_id)
            if holder_name is None:
                raise NameNotConfirmed(
                    _("Confirm how your name is printed on the certificate first.")
                )
        certificate = _create_certificate(
            enrolment=locked,
            holder_name=clean_holder_name(holder_name),
            issued_by=issued_by,
        )
        log(
            instance=certificate,
            action=ACTION_ISSUE,
            user=issued_by,
            data={"number": certificate.number},
        )
    return certificate


def _create_certificate(*, enrolment: Enrolment, holder_name: str, issued_by):
    design = CertificateDesign.objects.current()
    if design is None:
        raise NoCertificateDesign(
            _(
                "Certificates cannot be issued yet: no certificate design is "
                "published. Please try again later."
            )
        )
    course = enrolment.course
    issued_on = timezone.localdate(timezone=KYIV)
    allocated = allocate_number(year=issued_on.year)
    logo_name, logo_sha256 = snapshot_image(design.logo)
    signature_name, signature_sha256 = snapshot_image(design.signature_image)
    certificate = Certificate(
        number=allocated.number,
        year=allocated.year,
        serial=allocated.serial,
        learner_id=enrolment.learner_id,
        course=course,
        enrolment=enrolment,
        holder_name=holder_name,
        course_title=course.title,
        programme_code=course.programme_code,
        hours=course.hours,
        credits=course.credits,
        outcomes=list(course.outcome_texts),
        provider_name=course.provider_name,
        signer_name=design.signer_name,
        signer_position=design.signer_position,
        heading=design.heading,
        statement=design.statement,
        completion_text=design.completion_text,
        logo=logo_name,
        logo_sha256=logo_sha256,
        signature_image=signature_name,
        signature_sha256=signature_sha256,
        design=design,
        completed_on=timezone.localtime(enrolment.completed_at, KYIV).date(),
        issued_on=issued_on,
        issued_by=issued_by,
    )
    _attach_pdf(certificate)
    try:
        certificate.full_clean()
        certificate.save()
    except Exception:
        # The row was not written, so its file must not stay behind either.
        private_storage().delete(certificate.pdf.name)
        raise
    return certificate


def _attach_pdf(certificate: Certificate) -> None:
    try:
        content = build_certificate_pdf(certificate_data(certificate))
    except Exception as error:
        logger.exception("Building the PDF of %s failed", certificate.number)
        raise CertificateBuildFailed(
            _("The certificate could not be prepared. Please try again later.")
        ) from error
    certificate.signed = signing_enabled()
    certificate.pdf_sha256 = hashlib.sha256(content).hexdigest()
    name = f"pdf/{certificate.year}/{slugify(certificate.number) or 'c'}.pdf"
    certificate.pdf.save(name, ContentFile(content), save=False)


def certificate_data(certificate: Certificate) -> CertificateData:
    """What the PDF prints, from the certificate's snapshot only.

    The snapshot images are read from private storage; a missing one raises
    FileNotFoundError (CertificateBuildFailed when issuing).
    """
    storage = private_storage()
    return CertificateData(
        number=certificate.number,
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        programme_code=certificate.programme_code,
        hours=certificate.hours,
        credits=certificate.credits,
        outcomes=tuple(certificate.outcomes),
        provider_name=certificate.provider_name,
        completed_on=certificate.completed_on,
        issued_on=certificate.issued_on,
        signer_name=certificate.signer_name,
        signer_position=certificate.signer_position,
        heading=certificate.heading,
        statement=certificate.statement,
        completion_text=certificate.completion_text,
        logo=_stored_bytes(storage, certificate.logo.name),
        signature_image=_stored_bytes(storage, certificate.signature_image.name),
        verification_url=certificate.verification_url,
        verification_code_hint=certificate.verification_code,
    )


def _stored_bytes(storage, name: str) -> bytes | None:
    """A snapshot's bytes through the storage API (a local folder or a bucket);
    a missing file raises FileNotFoundError."""
    if not name:
        return None
    with storage.open(name, "rb") as handle:
        return handle.read()


def snapshot_image(image) -> tuple[str, str]:
    """A private, content-addressed copy of a design image: (file name, SHA-256).

    Certificates keep printing the image they were issued with even after the
    editor replaces or deletes it in the image library.
    """
    if image is None:
        return "", ""
    content = image_png_bytes(image)
    digest = hashlib.sha256(content).hexdigest()
    name = f"images/{digest}.png"
    storage = private_storage()
    if not storage.exists(name):
        name = storage.save(name, ContentFile(content))
    return name, digest


def image_png_bytes(image) -> bytes:
    rendition = image.get_rendition(IMAGE_RENDITION)
    with rendition.file.open("rb") as handle:
        return handle.read()


# Revoking and re-issuing -----------------------------------------------------


def revoke_certificate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Marks a valid certificate revoked; it stays in the register."""
    reason = (reason or "").strip()
    if not by.has_perm("certificates.revoke_certificate"):
        raise NotPermitted(_("You may not revoke certificates."))
    if not reason:
        raise ReasonRequired(_("Give the reason for revoking the certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not locked.is_valid:
            raise CertificateNotValid(_("Only a valid certificate can be revoked."))
        locked.status = Certificate.Status.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revocation_reason = reason
        locked.save(
            update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"]
        )
        log(
            instance=locked,
            action=ACTION_REVOKE,
            user=by,
            data={"number": locked.number, "reason": reason},
        )
    return locked


def reissue_certificate(*, certificate: Certificate, by, holder_name: str):
    """A new certificate with a new number; the old one points to it."""
    if not by.has_perm("certificates.reissue_certificate"):
        raise NotPermitted(_("You may not re-issue certificates."))
    holder_name = clean_holder_name(holder_name)
    with transaction.atomic():
        # The same lock order as issuing: enrolment, then certificate, then
        # the counter, so the two never wait on each other in a cycle.
        enrolment = Enrolment.objects.select_for_update().get(
            pk=certificate.enrolment_id
        )
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not old.is_valid:
            raise CertificateNotValid(_("Only a valid certificate can be re-issued."))
        # The one-valid-certificate constraint is checked row by row, so the
        # old certificate stops being valid before the new one is written.
        old.status = Certificate.Status.SUPERSEDED
        old.superseded_at = timezone.now()
        old.save(update_fields=["status", "superseded_at"])
        new = _create_certificate(
            enrolment=enrolment, holder_name=holder_name, issued_by=by
        )
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        log(
            instance=old,
            action=ACTION_REISSUE,
            user=by,
            data={"number": old.number, "new_number": new.number},
        )
        log(
            instance=new,
            action=ACTION_ISSUE,
            user=by,
            data={"number": new.number, "supersedes": old.number},
        )
    return new


# Signal receiver -------------------------------------------------------------


def issue_on_completion(sender, enrolment: Enrolment, **kwargs) -> None:
    """course_completed: issue at once when the learner has confirmed a name.

    Otherwise «Моє навчання» asks them to confirm it. A failure is logged and
    never breaks the learner's request: the dashboard offers the page again.
    """
    if not NameConfirmation.objects.filter(user_id=enrolment.learner_id).exists():
        return
    try:
        issue_certificate(enrolment=enrolment)
    except IssuingError:
        logger.warning(
            "No certificate issued on completion of enrolment %s",
            enrolment.pk,
            exc_info=True,
        )
