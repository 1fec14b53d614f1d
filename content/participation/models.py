"""Pilots and events are pages; applications to them are records.

``ParticipationPage`` holds what every pilot and event shares (places, the
application window, who may apply), so an application points at one table
and the capacity lock is one row whatever the kind.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager
from wagtail.search import index

from content.participation.blocks import AgendaBlock
from courses.blocks import BodyStreamBlock
from lms.view_restrictions import CachedViewRestrictionsMixin

MOTIVATION_MAX_LENGTH = 3000
EXPERIENCE_MAX_LENGTH = 3000
NOTE_MAX_LENGTH = 2000


class Sector(models.TextChoices):
    """Who the applicant is, in the words of the initiative's announcements."""

    HROMADA = "hromada", _("territorial hromada or local self-government body")
    OBLAST_ADMINISTRATION = "oda", _("oblast state administration")
    OBLAST_COUNCIL = "oblast_council", _("oblast council")
    CIVIL_SOCIETY = "civil_society", _("civil society organisation")
    BUSINESS = "business", _("business")
    RESIDENT = "resident", _("active resident")
    VOLUNTEER = "volunteer", _("volunteer")


class Eligibility(models.TextChoices):
    OPEN = "open", _("open to all")
    COMPLETION_PREFERRED = "preferred", _("course completion preferred")
    CERTIFICATE_REQUIRED = "required", _("certificate of the course required")


class ParticipationPageForm(WagtailAdminPageForm):
    """The sectors that may apply, as check boxes over a JSON list."""

    allowed_sectors = forms.MultipleChoiceField(
        label=_("who may apply"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked to accept every sector."),
    )


class ParticipationPage(CachedViewRestrictionsMixin, Page):
    """What a pilot and an event share; never created on its own."""

    summary = models.TextField(
        _("summary"), max_length=1000,
        help_text=_("Shown in lists of pilots and events."),
    )  # fmt: skip
    body = StreamField(BodyStreamBlock(), verbose_name=_("description"), blank=True)
    places = models.PositiveIntegerField(
        _("number of places"),
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    eligibility = models.CharField(
        _("eligibility"), max_length=10, choices=Eligibility.choices,
        default=Eligibility.OPEN,
    )  # fmt: skip
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("course"),
        help_text=_(
            "The course whose completion is required or preferred. Applicants' "
            "records in this course are shown to organisers."
        ),
    )  # fmt: skip
    allowed_sectors = models.JSONField(_("who may apply"), default=list, blank=True)
    eligibility_note = models.TextField(
        _("eligibility in words"), max_length=2000, blank=True,
        help_text=_("For example: representatives of hromadas of Luhansk oblast."),
    )  # fmt: skip

    base_form_class = ParticipationPageForm
    is_creatable = False
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    application_panels = [
        MultiFieldPanel(
            [
                FieldPanel("places"),
                FieldRowPanel(
                    [
                        FieldPanel("applications_open_at"),
                        FieldPanel("applications_close_at"),
                    ]
                ),
                FieldPanel("eligibility"),
                FieldPanel("course"),
                FieldPanel("allowed_sectors"),
                FieldPanel("eligibility_note"),
            ],
            heading=_("Applications"),
        )
    ]

    class Meta:
        verbose_name = _("pilot or event")
        verbose_name_plural = _("pilots and events")

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.applications_open_at
            and self.applications_close_at
            and self.applications_close_at <= self.applications_open_at
        ):
            errors["applications_close_at"] = _(
                "Applications must close after they open."
            )
        if self.eligibility != Eligibility.OPEN and self.course_id is None:
            errors["course"] = _(
                "Choose the course whose completion is required or preferred."
            )
        unknown = set(self.allowed_sectors or []) - set(Sector.values)
        if unknown:
            errors["allowed_sectors"] = _("Unknown sector.")
        if errors:
            raise ValidationError(errors)

    # -- the application window and who may apply ----------------------------

    def window_state(self, now=None) -> str:
        """``"soon"``, ``"open"`` or ``"closed"``."""
        now = now or timezone.now()
        if now < self.applications_open_at:
            return "soon"
        if now >= self.applications_close_at:
            return "closed"
        return "open"

    def accepts_applications(self, now=None) -> bool:
        return self.window_state(now) == "open"

    @property
    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [str(labels[value]) for value in self.allowed_sectors if value in labels]

    def sector_allowed(self, sector: str) -> bool:
        return not self.allowed_sectors or sector in self.allowed_sectors

    def get_context(self, request, *args, **kwargs):
        from content.participation.selectors import page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_context(self, request=request))
        return context


class ParticipationIndexPage(CachedViewRestrictionsMixin, Page):
    """A list of pilots or of events: the live children of one type."""

    intro = models.TextField(_("introduction"), max_length=2000, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    max_count = 1

    class Meta:
        abstract = True

    def child_model(self) -> type[Page]:
        raise NotImplementedError

    def get_context(self, request, *args, **kwargs):
        from content.participation.selectors import listing

        context = super().get_context(request, *args, **kwargs)
        context["items"] = listing(
            self.child_model().objects.child_of(self).live().public(),
            request=request,
        )
        return context


class PilotIndexPage(ParticipationIndexPage):
    subpage_types = ["content.PilotPage"]

    class Meta:
        verbose_name = _("pilots")
        verbose_name_plural = _("pilot lists")

    def child_model(self):
        return PilotPage


class PilotPage(ParticipationPage):
    """A hromada or oblast implementing Smart Interaction."""

    oblasts = ParentalManyToManyField(
        "lms.Oblast", blank=True, related_name="+", verbose_name=_("oblasts")
    )
    hromadas = ParentalManyToManyField(
        "lms.Hromada", blank=True, related_name="+", verbose_name=_("hromadas"),
        help_text=_("The hromadas that implement the pilot."),
    )  # fmt: skip
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    interim_results = StreamField(
        BodyStreamBlock(), verbose_name=_("interim results"), blank=True
    )
    coordinator_name = models.CharField(_("coordinator"), max_length=255)
    coordinator_email = models.EmailField(_("coordinator's e-mail"), blank=True)
    coordinator_phone = models.CharField(
        _("coordinator's phone"), max_length=40, blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("oblasts", widget=forms.CheckboxSelectMultiple),
        FieldPanel("hromadas"),
        FieldPanel("body"),
        FieldPanel("interim_results"),
        MultiFieldPanel(
            [
                FieldPanel("coordinator_name"),
                FieldPanel("coordinator_email"),
                FieldPanel("coordinator_phone"),
            ],
            heading=_("Coordinator"),
        ),
        *ParticipationPage.application_panels,
    ]
    search_fields = [*ParticipationPage.search_fields]
    parent_page_types = ["content.PilotIndexPage"]
    subpage_types = []
    is_creatable = True

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")

    def clean(self):
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The pilot cannot end before it starts.")}
            )


class EventIndexPage(ParticipationIndexPage):
    subpage_types = ["content.EventPage"]

    class Meta:
        verbose_name = _("events")
        verbose_name_plural = _("event lists")

    def child_model(self):
        return EventPage


class EventPage(ParticipationPage):
    """A conference, seminar or meeting with a programme and limited seats."""

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    venue = models.CharField(_("place"), max_length=500, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = StreamField(AgendaBlock(), verbose_name=_("agenda"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("venue"),
        FieldPanel("online_url"),
        FieldPanel("body"),
        FieldPanel("agenda"),
        *ParticipationPage.application_panels,
    ]
    search_fields = [*ParticipationPage.search_fields]
    parent_page_types = ["content.EventIndexPage"]
    subpage_types = []
    is_creatable = True

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        errors = {}
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if not self.venue and not self.online_url:
            errors["venue"] = _("Give the place, the online link or both.")
        if errors:
            raise ValidationError(errors)

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at


class ApplicationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Application.Status.WITHDRAWN)

    def selected(self):
        return self.filter(status=Application.Status.SELECTED)


class Application(models.Model):
    """A person's application to a pilot or event, and what became of it.

    One per person and page (a withdrawn one may be submitted again while the
    window is open). What the applicant's course record was when they applied
    is kept beside it; organisers also see the record as it is now.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("under consideration")
        SELECTED = "selected", _("selected")
        WAITLISTED = "waitlisted", _("on the waiting list")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class CourseStatus(models.TextChoices):
        NONE = "none", _("not enrolled")
        ENROLLED = "enrolled", _("enrolled")
        LEARNING = "learning", _("learning")
        COMPLETED = "completed", _("completed")

    page = models.ForeignKey(
        ParticipationPage, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("pilot or event"),
    )  # fmt: skip
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
        related_name="applications", verbose_name=_("applicant"),
    )  # fmt: skip
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    organisation = models.CharField(_("organisation"), max_length=255)
    position = models.CharField(_("position or role"), max_length=255)
    motivation = models.TextField(_("motivation"), max_length=MOTIVATION_MAX_LENGTH)
    experience = models.TextField(
        _("experience"), max_length=EXPERIENCE_MAX_LENGTH, blank=True
    )
    consent_given_at = models.DateTimeField(_("consent given at"))

    # The course record attached when the person applied.
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("course"),
    )  # fmt: skip
    course_status = models.CharField(
        _("course status when applying"), max_length=10,
        choices=CourseStatus.choices, default=CourseStatus.NONE,
    )  # fmt: skip
    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.PROTECT, null=True,
        blank=True, related_name="+", verbose_name=_("certificate when applying"),
    )  # fmt: skip

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    status_changed_at = models.DateTimeField(_("status changed at"))
    decision_note = models.TextField(
        _("note to the applicant"), max_length=NOTE_MAX_LENGTH, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+", verbose_name=_("decided by"),
    )  # fmt: skip
    waitlisted_at = models.DateTimeField(_("wait-listed at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(
        _("attendance marked at"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["submitted_at", "pk"]
        permissions = [
            ("decide_application", _("Can select, wait-list and decline applicants")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "applicant"], name="content_one_application_per_page"
            ),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(status="selected"),
                name="content_attendance_only_selected",
            ),
        ]
        indexes = [
            models.Index(fields=["page", "status"]),
            models.Index(fields=["applicant", "status"]),
        ]

    def __str__(self):
        return f"{self.applicant} — {self.page.title}"

    @property
    def can_withdraw(self) -> bool:
        return self.status in (
            self.Status.SUBMITTED,
            self.Status.SELECTED,
            self.Status.WAITLISTED,
        ) and (self.attended is None)


class OrganiserAssignment(models.Model):
    """Limits an organiser to some pilots and events.

    An organiser with no assignment manages every pilot and event; one with
    assignments manages only those. An assignment whose page was deleted
    stays (without its page), so that the organiser does not fall back to
    managing everything.
    """

    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="organiser_assignments", verbose_name=_("organiser"),
    )  # fmt: skip
    page = models.ForeignKey(
        ParticipationPage, on_delete=models.SET_NULL, null=True,
        related_name="+", verbose_name=_("pilot or event"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("organiser's assignment")
        verbose_name_plural = _("organisers' assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "page"], name="content_one_assignment_per_page"
            )
        ]

    def __str__(self):
        return f"{self.organiser} — {self.page.title if self.page else '—'}"


class ApplicationLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(application=instance)
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(application=instance)

    def viewable_by_user(self, user):
        """Entries of the applications the user may see, in their scope.

        Wagtail's default shows every entry of a model to anyone holding any
        of its permissions; an organiser limited to some pilots and events
        must not read the decisions on others in the site history.
        """
        from content.participation.admin.scope import managed_page_ids

        if user.is_superuser:
            return self.all()
        if not user.has_perm("content.view_application"):
            return self.none()
        page_ids = managed_page_ids(user)
        if page_ids is None:
            return self.all()
        return self.filter(
            application_id__in=Application.objects.filter(page_id__in=page_ids).values(
                "pk"
            )
        )


class ApplicationLogEntry(BaseLogEntry):
    """The audit log of applications: who decided what, and when."""

    application = models.ForeignKey(
        Application, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )  # fmt: skip

    objects = ApplicationLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("application log entry")
        verbose_name_plural = _("application log entries")

    @cached_property
    def object_id(self):
        return self.application_id
