from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class QuizAttempt(models.Model):
    """One attempt: the questions as drawn, the answers given, the grade.

    ``questions`` is a frozen snapshot, including the correct answers, and is
    never sent to the browser before the attempt is closed.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        SUBMITTED = "submitted", _("submitted")
        TIMED_OUT = "timed_out", _("closed when time ran out")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
        related_name="quiz_attempts", verbose_name=_("learner"),
    )  # fmt: skip
    quiz = models.ForeignKey(
        "courses.QuizPage", on_delete=models.PROTECT,
        related_name="attempts", verbose_name=_("quiz"),
    )  # fmt: skip
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices,
        default=Status.IN_PROGRESS,
    )  # fmt: skip
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    questions = models.JSONField(_("questions as drawn"), default=list)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    answers_saved_at = models.DateTimeField(null=True, blank=True)
    late_answers_ignored = models.BooleanField(default=False)
    results = models.JSONField(_("results per question"), default=dict, blank=True)
    score = models.DecimalField(
        _("score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2)
    percent = models.DecimalField(
        _("result, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark, %"))
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "quiz", "number"], name="courses_attempt_number"
            ),
            models.UniqueConstraint(
                fields=["learner", "quiz"],
                condition=Q(status="in_progress"),
                name="courses_attempt_one_open",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="courses_attempt_number_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["quiz", "learner"]),
            # Pass rates per quiz for the reviewers' statistics: answered from
            # the index alone, never the attempts' snapshots.
            models.Index(
                fields=["quiz", "learner"],
                include=["passed"],
                condition=~Q(status="in_progress"),
                name="courses_attempt_pass_stats",
            ),
        ]

    def __str__(self):
        return f"{self.learner} · {self.quiz_id} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    def question_keys(self) -> list[str]:
        return [question["key"] for question in self.questions]


class QuestionResult(models.Model):
    """How one drawn question was answered, for editors' statistics."""

    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="question_results"
    )
    quiz = models.ForeignKey(
        "courses.QuizPage", on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        "courses.Question", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    question_text = models.TextField()
    answered = models.BooleanField()
    correct = models.BooleanField()
    points_awarded = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("question result")
        verbose_name_plural = _("question results")
        indexes = [models.Index(fields=["quiz", "question"])]

    def __str__(self):
        return f"{self.attempt_id}: {self.question_id}"
