from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    """A learner's place in a course; completion time is written once."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
        related_name="enrolments", verbose_name=_("learner"),
    )  # fmt: skip
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT,
        related_name="enrolments", verbose_name=_("course"),
    )  # fmt: skip
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    started_at = models.DateTimeField(
        _("first step done at"), null=True, blank=True,
        help_text=_("When the learner completed a first step of the course."),
    )  # fmt: skip
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Where the learner works, as reports count it: kept up to date from the
    # profile while the course is in progress and frozen at completion, so
    # statistics do not shift when a profile is edited or anonymised later.
    oblast = models.ForeignKey(
        "lms.Oblast", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("oblast (at completion)"),
    )  # fmt: skip
    hromada = models.ForeignKey(
        "lms.Hromada", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("hromada (at completion)"),
    )  # fmt: skip
    position_category = models.ForeignKey(
        "lms.PositionCategory", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("position category (at completion)"),
    )  # fmt: skip
    organisation = models.CharField(
        _("organisation (at completion)"), max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"], name="courses_enrolment_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["course", "completed_at"]),
            models.Index(fields=["oblast", "course"]),
            models.Index(fields=["enrolled_at"]),
            models.Index(fields=["completed_at"]),
        ]

    def __str__(self):
        return f"{self.learner} → {self.course_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def take_profile(self, learner) -> None:
        """Copies where the learner works from their profile (unsaved)."""
        for name in PROFILE_SNAPSHOT_FIELDS:
            setattr(self, name, getattr(learner, name))


# The profile fields an enrolment keeps as they were at completion.
PROFILE_SNAPSHOT_FIELDS = ("oblast_id", "hromada_id", "position_category_id",
                           "organisation")  # fmt: skip


class Completion(models.Model):
    """One finished step of a course: a lesson, a passed quiz or a whole module.

    One table for every kind keeps a learner's progress in a course to a single
    query; the unique pair (learner, page) makes recording idempotent.
    """

    class Kind(models.TextChoices):
        LESSON = "lesson", _("lesson")
        QUIZ = "quiz", _("quiz")
        MODULE = "module", _("module")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
        related_name="completions", verbose_name=_("learner"),
    )  # fmt: skip
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT,
        related_name="+", verbose_name=_("course"),
    )  # fmt: skip
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.PROTECT,
        related_name="+", verbose_name=_("step"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("completed step")
        verbose_name_plural = _("completed steps")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "page"], name="courses_completion_unique"
            ),
        ]
        indexes = [models.Index(fields=["learner", "course"])]

    def __str__(self):
        return f"{self.learner} ✓ {self.page_id}"
