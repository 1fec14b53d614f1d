"""The register of certificates, its numbering, the editable design and name
confirmations. Writes go through ``certificates.issuing``."""

import copy
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from certificates.storage import private_storage
from courses.volume import format_credits

# Completion and issue dates are the dates in Kyiv, whatever the server's zone.
KYIV = ZoneInfo("Europe/Kyiv")


def new_verification_code() -> str:
    """32 URL-safe characters from 24 random bytes (192 bits)."""
    return secrets.token_urlsafe(24)


class CertificateImmutable(Exception):
    """An issued certificate's snapshot cannot be changed."""


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(status=Certificate.Status.VALID)


class Certificate(models.Model):
    """An issued certificate: an immutable snapshot of what it certifies.

    Only the status fields change after issue (revocation, supersession);
    the register keeps every row, so numbers are never reused.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        REVOKED = "revoked", _("revoked")
        SUPERSEDED = "superseded", _("superseded")

    number = models.CharField(_("number"), max_length=50, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    serial = models.PositiveIntegerField(_("number within the year"), editable=False)
    verification_code = models.CharField(
        _("verification code"), max_length=64, unique=True,
        default=new_verification_code, editable=False,
    )  # fmt: skip
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
        related_name="certificates", verbose_name=_("learner"),
    )  # fmt: skip
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT,
        related_name="certificates", verbose_name=_("course"),
    )  # fmt: skip
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.PROTECT,
        related_name="certificates", verbose_name=_("enrolment"),
    )  # fmt: skip
    # The snapshot: what the PDF prints, as it was on the day of issue.
    holder_name = models.CharField(_("holder's full name"), max_length=500)
    course_title = models.CharField(_("programme title"), max_length=255)
    programme_code = models.CharField(_("programme code"), max_length=50, blank=True)
    hours = models.PositiveSmallIntegerField(_("volume in hours"))
    credits = models.DecimalField(_("ECTS credits"), max_digits=6, decimal_places=2)
    outcomes = models.JSONField(_("learning outcomes"), default=list, blank=True)
    provider_name = models.CharField(_("provider's full name"), max_length=500)
    signer_name = models.CharField(_("signer's name"), max_length=255)
    signer_position = models.CharField(_("signer's position"), max_length=255)
    heading = models.CharField(_("heading"), max_length=255)
    statement = models.TextField(_("statement"))
    completion_text = models.TextField(_("completion text"))
    logo = models.FileField(
        _("logo (copy)"), storage=private_storage, blank=True, editable=False
    )
    logo_sha256 = models.CharField(_("logo SHA-256"), max_length=64, blank=True)
    signature_image = models.FileField(
        _("signature image (copy)"), storage=private_storage, blank=True,
        editable=False,
    )  # fmt: skip
    signature_sha256 = models.CharField(
        _("signature image SHA-256"), max_length=64, blank=True
    )
    design = models.ForeignKey(
        "certificates.CertificateDesign", on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+", verbose_name=_("design used"),
    )  # fmt: skip
    completed_on = models.DateField(_("completed on"))
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("issued by"),
    )  # fmt: skip
    pdf = models.FileField(_("PDF"), storage=private_storage, editable=False)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    signed = models.BooleanField(_("digitally signed"), default=False)
    # Status: the only fields that change after issue.
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALID
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("revoked by"),
    )  # fmt: skip
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    superseded_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True,
        related_name="supersedes", verbose_name=_("superseded by"),
    )  # fmt: skip
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    STATUS_FIELDS = frozenset(
        {
            "status",
            "revoked_at",
            "revoked_by",
            "revocation_reason",
            "superseded_by",
            "superseded_at",
        }
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=Q(status="valid"),
                name="certificates_one_valid_per_learner_course",
            ),
            models.UniqueConstraint(
                fields=["year", "serial"], name="certificates_year_serial_unique"
            ),
        ]
        indexes = [models.Index(fields=["learner", "status"])]
        permissions = [
            ("download_any_certificate", _("Can download any learner's certificate")),
            ("revoke_certificate", _("Can revoke certificates")),
            ("reissue_certificate", _("Can re-issue certificates")),
            ("issue_certificates_in_bulk", _("Can issue certificates in bulk")),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self._refuse_snapshot_changes()
        super().save(*args, **kwargs)
        self._loaded = self._current_values()

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify", args=[self.verification_code])

    def delete(self, *args, **kwargs):
        raise CertificateImmutable(
            "Certificates stay in the register; revoke them instead."
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = instance._current_values()
        return instance

    def _current_values(self) -> dict:
        """Copies of the loaded field values, to compare with on save."""
        deferred = self.get_deferred_fields()
        values = {}
        for field in self._meta.concrete_fields:
            if field.attname in deferred:
                continue
            value = field.value_from_object(self)
            if isinstance(field, models.FileField):
                value = value.name or ""
            values[field.attname] = field.to_python(copy.deepcopy(value))
        return values

    def _refuse_snapshot_changes(self) -> None:
        loaded = getattr(self, "_loaded", None)
        if loaded is None:
            raise CertificateImmutable("Load the certificate before changing it.")
        current = self._current_values()
        for field in self._meta.concrete_fields:
            if field.name in self.STATUS_FIELDS or field.attname not in loaded:
                continue
            if current.get(field.attname) != loaded[field.attname]:
                raise CertificateImmutable(
                    f"The field {field.name!r} of certificate {self.number} "
                    "cannot change after issue."
                )
        if loaded.get("status") != self.Status.VALID and self.status != loaded.get(
            "status"
        ):
            raise CertificateImmutable("Only a valid certificate changes status.")

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def download_url(self) -> str:
        return reverse("certificates:download", args=[self.pk])

    @property
    def verification_path(self) -> str:
        return self.get_absolute_url()

    @property
    def verification_url(self) -> str:
        return settings.CERTIFICATE_BASE_URL.rstrip("/") + self.verification_path

    @property
    def volume_display(self) -> str:
        """E.g. «30 годин (1 кредит ЄКТС)», from the snapshot's hours and credits."""
        hours = ngettext("%(count)s hour", "%(count)s hours", self.hours) % {
            "count": self.hours
        }
        return gettext("%(hours)s (%(credits)s)") % {
            "hours": hours,
            "credits": format_credits(self.credits),
        }

    @property
    def download_filename(self) -> str:
        return f"certificate-{self.number}.pdf"


class CertificateCounter(models.Model):
    """The last number given in a year; locked while a number is allocated."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class CertificateDesignQuerySet(models.QuerySet):
    def current(self):
        """The published design marked current (the latest if several are)."""
        return (
            self.filter(live=True, is_current=True)
            .select_related("logo", "signature_image")
            .order_by("-last_published_at", "-pk")
            .first()
        )


class CertificateDesign(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    models.Model,
):
    """Wording, signer and images that new certificates print.

    Editors change it with drafts and revisions and submit it to the
    moderation workflow that pages go through; only a moderator's approval
    (or someone who may publish) makes a version live. Issuing reads the live
    row only (``CertificateDesignQuerySet.current``), and issued certificates
    keep a snapshot, so a published version changes only future certificates.
    Its preview is the sample PDF of the version shown, which is how a
    moderator reviews a submitted version.
    """

    name = models.CharField(
        _("name"), max_length=100, help_text=_("For editors; not printed.")
    )
    heading = models.CharField(
        _("heading"), max_length=255, help_text=_("E.g. «Certificate».")
    )
    statement = models.TextField(
        _("statement"),
        help_text=_(
            "Printed before the holder's name; write it so that the name that "
            "follows stays in the nominative case, e.g. ending with a colon."
        ),
    )
    completion_text = models.TextField(
        _("completion text"),
        help_text=_("Printed after the name, before the programme title."),
    )
    signer_name = models.CharField(_("signer's name"), max_length=255)
    signer_position = models.CharField(_("signer's position"), max_length=255)
    logo = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("logo"),
    )  # fmt: skip
    signature_image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("signature image"),
    )  # fmt: skip
    is_current = models.BooleanField(
        _("used for new certificates"),
        default=True,
        help_text=_("Publishing a design marked this way replaces the current one."),
    )

    objects = CertificateDesignQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("heading"),
                FieldPanel("statement"),
                FieldPanel("completion_text"),
            ],
            heading=_("Wording"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signer_name"),
                FieldPanel("signer_position"),
                FieldPanel("signature_image"),
            ],
            heading=_("Signer"),
        ),
        FieldPanel("logo"),
        FieldPanel("is_current"),
    ]

    class Meta:
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.live and self.is_current:
            CertificateDesign.objects.exclude(pk=self.pk).filter(
                is_current=True
            ).update(is_current=False)

    # A PDF, not a page: one preview at the width of a desktop screen.
    @property
    def preview_sizes(self):
        return [size for size in super().preview_sizes if size["name"] == "desktop"]

    @property
    def default_preview_size(self):
        return "desktop"

    def serve_preview(self, request, mode_name):
        """The sample PDF of this version (the one submitted, in a review)."""
        from certificates.admin_views import sample_pdf_response

        return sample_pdf_response(self)


class NameConfirmation(models.Model):
    """How a learner confirmed their name is printed; the latest one counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
        related_name="name_confirmations", verbose_name=_("user"),
    )  # fmt: skip
    printed_name = models.CharField(_("printed name"), max_length=500)
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("name confirmation")
        verbose_name_plural = _("name confirmations")
        ordering = ["-confirmed_at", "-pk"]
        get_latest_by = ["confirmed_at", "pk"]

    def __str__(self):
        return self.printed_name


class BulkIssueJob(models.Model):
    """One run of «issue certificates in bulk», with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("started by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("course"),
    )  # fmt: skip
    use_profile_names = models.BooleanField(
        _("issue with the profile name when the name is not confirmed"),
        default=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("to process"), default=0)
    issued = models.PositiveIntegerField(_("issued"), default=0)
    waiting = models.PositiveIntegerField(_("waiting for name confirmation"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    waiting_enrolments = models.JSONField(default=list, blank=True, editable=False)
    failures = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("bulk issue")
        verbose_name_plural = _("bulk issues")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"#{self.pk} ({self.get_status_display()})"

    @property
    def done(self) -> int:
        return self.issued + self.waiting + self.failed

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 100

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED)


# The reviewers' access log lives with the workspace; Django finds it here.
from certificates.reviewing.models import ReviewAccess  # noqa: E402, F401
