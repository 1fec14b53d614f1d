"""The access log: every reviewer's read of a person's records and every export."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewAccess(models.Model):
    """One read of personal records by staff: who, when, what, with which filters.

    Kept apart from Wagtail's audit log, which records changes to objects:
    these are reads, many per day, and an export concerns no one object but
    the filters it was made with.
    """

    class Action(models.TextChoices):
        TRANSCRIPT = "transcript", _("transcript viewed")
        TRANSCRIPT_PDF = "transcript_pdf", _("transcript downloaded as PDF")
        CERTIFICATE_PDF = "certificate_pdf", _("certificate PDF downloaded")
        EXPORT_COMPLETIONS = "export_completions", _("completion report exported")
        EXPORT_REGISTER = "export_register", _("certificate register exported")
        EXPORT_VERIFICATION = "export_verification", _("verification list exported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    at = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("what"), max_length=24, choices=Action.choices)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("whose records"),
    )  # fmt: skip
    subject = models.CharField(_("object"), max_length=255, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    class Meta:
        verbose_name = _("reviewer's access")
        verbose_name_plural = _("reviewers' access log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["at"]),
            models.Index(fields=["action", "at"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
