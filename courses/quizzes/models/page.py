"""The quiz page: a test under a module, or under the course as the final test.

Its routes delegate to ``courses.quizzes.views``, imported when a route runs:
the views import this model.
"""

import random

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from courses.blocks import RICH_TEXT_FEATURES
from courses.models.pages import course_of
from courses.quizzes.admin.panels import QuizQuestionsPanel
from lms.view_restrictions import CachedViewRestrictionsMixin


class QuizPage(CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """A test under a module, or under the course as the final test."""

    class AnswersShown(models.TextChoices):
        NEVER = "never", _("never")
        AFTER_EACH = "after_each", _("after each attempt")
        AFTER_PASS = "after_pass", _("after passing")
        AFTER_LAST = "after_last", _("after the last attempt")

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("A required quiz must be passed to complete its module."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark, %"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"),
        default=3,
        validators=[MaxValueValidator(100)],
        help_text=_("0 means unlimited."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit, minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Leave empty for no limit."),
    )
    wait_minutes = models.PositiveIntegerField(
        _("waiting time between attempts, minutes"),
        default=0,
        validators=[MaxValueValidator(60 * 24 * 30)],
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Leave empty to ask every question."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    answers_shown = models.CharField(
        _("show correct answers"),
        max_length=12,
        choices=AnswersShown.choices,
        default=AnswersShown.AFTER_LAST,
    )
    marks_after_each_attempt = models.BooleanField(
        _("show marks per question after each attempt"),
        default=False,
        help_text=_(
            "Whether each answer was right, and its points. Left unticked, "
            "they are shown together with the correct answers: on a question "
            "with two options a mark gives the answer away."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        QuizQuestionsPanel(heading=_("Questions")),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("required"),
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("wait_minutes"),
                FieldPanel("draw_count"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
                FieldPanel("answers_shown"),
                FieldPanel("marks_after_each_attempt"),
            ],
            heading=_("Quiz rules"),
        ),
        *Page.settings_panels,
    ]
    parent_page_types = ["courses.ModulePage", "courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    @cached_property
    def course(self):
        return course_of(self)

    # Routes stay thin; the steps live in courses/quizzes/views.py so they can be
    # read and tested like any view.
    @path("")
    def landing(self, request):
        from courses.quizzes import views

        return views.landing(request, self)

    @path("start/")
    def start(self, request):
        from courses.quizzes import views

        return views.start(request, self)

    @path("attempt/<int:number>/")
    def attempt(self, request, number: int):
        from courses.quizzes import views

        return views.attempt(request, self, number)

    @path("attempt/<int:number>/save/")
    def autosave(self, request, number: int):
        from courses.quizzes import views

        return views.autosave(request, self, number)

    @path("attempt/<int:number>/result/")
    def result(self, request, number: int):
        from courses.quizzes import views

        return views.result(request, self, number)

    # Copies -------------------------------------------------------------------
    # Wagtail makes every new page from another one (``Page.copy``, the
    # admin's copy view, a module copied with its children, a translation or
    # an alias) through ``copy_all_child_relations`` on the original, then
    # saves the new page. Questions are not child relations of the page
    # (publishing a page revision would then rewrite them, drafts included),
    # so the original marks a new page here and the page brings the
    # questions over once it has its id (``copies.copy_questions``). An
    # existing page given the original's content (an alias kept in step)
    # is not marked: its questions are its own.

    def copy_all_child_relations(self, target, exclude=None, **kwargs):
        result = super().copy_all_child_relations(target, exclude=exclude, **kwargs)
        if self.pk is not None and target.pk is None:
            target._copy_questions_of = self.pk
        return result

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        source_id = self.__dict__.pop("_copy_questions_of", None)
        if source_id is not None and source_id != self.pk:
            from courses.quizzes.models.copies import copy_questions

            copy_questions(source_id=source_id, quiz=self)
        return result

    def serve_preview(self, request, mode_name):
        from courses.quizzes import views

        return views.preview(request, self)

    def draw_questions(self, rng: random.Random | None = None) -> list[dict]:
        """Snapshots of the questions for a new attempt, drawn and shuffled.

        Only approved questions, with their approved content: a live row
        holds what was last published, drafts stay in revisions.
        """
        rng = rng or random.SystemRandom()
        questions = list(self.questions.drawable().order_by("sort_order", "pk"))
        if self.draw_count and self.draw_count < len(questions):
            chosen = {q.pk for q in rng.sample(questions, self.draw_count)}
            questions = [q for q in questions if q.pk in chosen]
        if self.shuffle_questions:
            rng.shuffle(questions)
        _prefetch_parts(questions)
        return [
            question.snapshot(shuffle=self.shuffle_options, rng=rng)
            for question in questions
        ]


def _prefetch_parts(questions: list) -> None:
    """Options, matching pairs and ordering items of all the drawn questions
    in one query each, instead of one per question."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(questions, "options")
    for relation in ("pairs", "items"):
        having = [question for question in questions if hasattr(question, relation)]
        prefetch_related_objects(having, relation)
