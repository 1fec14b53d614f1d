from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.names import NAME_MAX_LENGTH, normalise_name, validate_name


class Oblast(models.Model):
    """A first-level administrative unit (oblast, AR Crimea, Kyiv, Sevastopol)."""

    code = models.CharField(_("KATOTTH code"), max_length=19, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("oblast")
        verbose_name_plural = _("oblasts")

    def __str__(self):
        return self.name


class CodifierEdition(models.Model):
    """An edition of the codifier (КАТОТТГ) that ``import_hromadas`` loaded.

    One row per file (by its SHA-256); loading the same file again changes
    nothing. Districts and hromadas missing from a later edition point here
    through ``abolished_in``.
    """

    source = models.CharField(_("source"), max_length=200)
    approval = models.TextField(_("approved by"), blank=True)
    file_modified_at = models.DateTimeField(
        _("file last modified"), null=True, blank=True
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True)
    oblast_count = models.PositiveIntegerField(_("oblasts"), default=0)
    district_count = models.PositiveIntegerField(_("districts"), default=0)
    hromada_count = models.PositiveIntegerField(_("hromadas"), default=0)
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)

    class Meta:
        ordering = ["-loaded_at"]
        get_latest_by = "loaded_at"
        verbose_name = _("codifier edition")
        verbose_name_plural = _("codifier editions")

    def __str__(self):
        if self.file_modified_at:
            return (
                f"{self.source}, {timezone.localdate(self.file_modified_at):%d.%m.%Y}"
            )
        return self.source


class CurrentQuerySet(models.QuerySet):
    def current(self):
        """Units of the codifier edition loaded last (not abolished)."""
        return self.filter(abolished_in__isnull=True)


class District(models.Model):
    """A district (район) of an oblast, from the codifier."""

    code = models.CharField(_("KATOTTH code"), max_length=19, unique=True)
    name = models.CharField(_("name"), max_length=100)
    oblast = models.ForeignKey(
        Oblast, on_delete=models.PROTECT, related_name="districts",
        verbose_name=_("oblast"),
    )  # fmt: skip
    abolished_in = models.ForeignKey(
        CodifierEdition, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("abolished in"),
        help_text=_("The first codifier edition without this district."),
    )  # fmt: skip

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["oblast__sort_order", "name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class Hromada(models.Model):
    """A territorial community, imported from the KATOTTH codifier.

    Never deleted: one that a later edition no longer lists is marked
    ``abolished_in`` and stays on the profiles and records that name it.
    """

    class Kind(models.TextChoices):
        URBAN = "urban", _("urban")
        SETTLEMENT = "settlement", _("settlement")
        RURAL = "rural", _("rural")

    code = models.CharField(_("KATOTTH code"), max_length=19, unique=True)
    name = models.CharField(_("name"), max_length=150)
    oblast = models.ForeignKey(
        Oblast, on_delete=models.PROTECT, related_name="hromadas",
        verbose_name=_("oblast"),
    )  # fmt: skip
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True,
        related_name="hromadas", verbose_name=_("district"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    centre = models.CharField(_("administrative centre"), max_length=100, blank=True)
    military_administration = models.BooleanField(
        _("run by a military administration"), default=False
    )
    abolished_in = models.ForeignKey(
        CodifierEdition, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("abolished in"),
        help_text=_("The first codifier edition without this hromada."),
    )  # fmt: skip

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["oblast__sort_order", "name"]
        verbose_name = _("hromada")
        verbose_name_plural = _("hromadas")

    def __str__(self):
        return self.name

    @property
    def is_current(self) -> bool:
        return self.abolished_in_id is None


class PositionCategory(models.Model):
    """A position category: civil service А/Б/В or a local self-government one."""

    class Service(models.TextChoices):
        CIVIL = "civil", _("civil service")
        LOCAL = "local", _("local self-government service")
        OTHER = "other", _("other")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    service = models.CharField(_("service"), max_length=10, choices=Service.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("position category")
        verbose_name_plural = _("position categories")

    def __str__(self):
        return self.name


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        email = self.normalize_email(email)
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    @classmethod
    def normalize_email(cls, email):
        return (email or "").strip().lower()


class User(AbstractUser):
    """A person: e-mail is the login; the learner profile lives here too.

    ``last_name`` holds the surname and ``first_name`` the given name, so the
    Wagtail admin's user screens work unchanged.
    """

    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    last_name = models.CharField(
        _("surname"), max_length=NAME_MAX_LENGTH, blank=True,
        validators=[validate_name],
    )  # fmt: skip
    first_name = models.CharField(
        _("given name"), max_length=NAME_MAX_LENGTH, blank=True,
        validators=[validate_name],
    )  # fmt: skip
    patronymic = models.CharField(
        _("patronymic"), max_length=NAME_MAX_LENGTH, blank=True,
        validators=[validate_name],
    )  # fmt: skip
    position_title = models.CharField(_("position"), max_length=255, blank=True)
    position_category = models.ForeignKey(
        PositionCategory, on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("position category"),
    )  # fmt: skip
    organisation = models.CharField(
        _("organisation or body"), max_length=255, blank=True
    )
    oblast = models.ForeignKey(
        Oblast, on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("oblast"),
    )  # fmt: skip
    hromada = models.ForeignKey(
        Hromada, on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("hromada"),
    )  # fmt: skip
    email_confirmed_at = models.DateTimeField(
        _("e-mail confirmed at"), null=True, blank=True
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    review_oblasts = models.ManyToManyField(
        Oblast, blank=True, related_name="+", verbose_name=_("oblasts to review"),
        help_text=_(
            "For a reviewer of a regional office: they see the learners of these "
            "oblasts only. Leave empty for all oblasts."
        ),
    )  # fmt: skip

    objects = EmailUserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="lms_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = EmailUserManager.normalize_email(self.email)
        self.last_name = normalise_name(self.last_name)
        self.first_name = normalise_name(self.first_name)
        self.patronymic = normalise_name(self.patronymic)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        """Surname, given name and patronymic, in Ukrainian order."""
        parts = (self.last_name, self.first_name, self.patronymic)
        return " ".join(part for part in parts if part)

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def awaits_email_confirmation(self) -> bool:
        """Registered through the site and has not opened the link yet."""
        return (
            not self.is_active
            and self.email_confirmed_at is None
            and self.anonymised_at is None
        )


class ConsentRecord(models.Model):
    """A consent a person gave, with the version of the notice they were shown.

    Rows are never deleted or changed: they are the evidence of the lawful
    ground for processing, and they outlive the anonymisation of the account.
    """

    class Purpose(models.TextChoices):
        LEARNING = (
            "learning",
            _(
                "processing of personal data for taking the course and for "
                "certificates, as described in the privacy notice"
            ),
        )

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="consents",
        verbose_name=_("user"),
    )  # fmt: skip
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.notice_version})"
