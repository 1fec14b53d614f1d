from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import RICH_TEXT_FEATURES, BodyStreamBlock, LearningOutcomesBlock
from courses.outline import CourseOutline, build_outline
from courses.volume import credits_for_hours, format_volume
from lms import page_cache
from lms.view_restrictions import CachedViewRestrictionsMixin


class CourseIndexPage(CachedViewRestrictionsMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    # A string reference to the top layer only; no import goes upwards.
    parent_page_types = ["content.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.child_of(self).live().public().order_by("path")
        )
        return context


class CoursePage(CachedViewRestrictionsMixin, Page):
    summary = models.TextField(_("summary"), max_length=1000)
    hours = models.PositiveSmallIntegerField(
        _("volume in hours"),
        validators=[MinValueValidator(1), MaxValueValidator(3000)],
        help_text=_("ECTS credits are derived: 1 credit = 30 hours."),
    )
    programme_code = models.CharField(_("programme code"), max_length=50, blank=True)
    provider_name = models.CharField(
        _("provider's full name"),
        max_length=500,
        help_text=_("As it must appear on certificates."),
    )
    target_audience = models.TextField(_("target audience"), blank=True)
    learning_outcomes = StreamField(
        LearningOutcomesBlock(),
        verbose_name=_("learning outcomes"),
        blank=True,
        help_text=_("Printed on certificates, one outcome per item."),
    )
    description = StreamField(
        BodyStreamBlock(), verbose_name=_("description"), blank=True
    )
    sequential = models.BooleanField(
        _("modules in order"),
        default=False,
        help_text=_("A module opens only after the previous one is complete."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hours"),
        FieldPanel("programme_code"),
        FieldPanel("provider_name"),
        FieldPanel("target_audience"),
        FieldPanel("learning_outcomes"),
        FieldPanel("description"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("sequential")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("target_audience"),
        index.SearchField("description"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def credits(self):
        return credits_for_hours(self.hours or 0)

    @property
    def volume_display(self) -> str:
        return format_volume(self.hours or 0)

    @property
    def outcome_texts(self) -> list[str]:
        return [block.value for block in self.learning_outcomes]

    def get_outline(self, request=None) -> CourseOutline:
        return build_outline(self, request)

    def get_context(self, request, *args, **kwargs):
        from courses.progress import get_progress

        context = super().get_context(request, *args, **kwargs)
        progress = get_progress(learner=request.user, course=self, request=request)
        context["progress"] = progress
        context["outline"] = progress.outline
        return context


class ModulePage(CachedViewRestrictionsMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    estimated_minutes = models.PositiveIntegerField(
        _("estimated time, minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(6000)],
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    @cached_property
    def course(self):
        return course_of(self)

    def get_context(self, request, *args, **kwargs):
        from courses.progress import get_progress

        context = super().get_context(request, *args, **kwargs)
        course = self.course
        progress = (
            get_progress(learner=request.user, course=course, request=request)
            if course
            else None
        )
        context["course"] = course
        context["progress"] = progress
        context["outline"] = progress.outline if progress else None
        context["module_state"] = progress.module_state(self.pk) if progress else None
        return context


class LessonPage(CachedViewRestrictionsMixin, Page):
    estimated_minutes = models.PositiveIntegerField(
        _("estimated time, minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("lesson content"))
    is_preview = models.BooleanField(
        _("open preview"),
        default=False,
        help_text=_("Anyone may read this lesson without enrolling."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("is_preview")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @cached_property
    def course(self):
        return course_of(self)

    def serve(self, request, *args, **kwargs):
        from courses.access import anonymous_page_cache

        with anonymous_page_cache(request, self) as cached:
            if cached.response is None:
                cached.response = self._serve(request, *args, **kwargs)
        return cached.response

    def _serve(self, request, *args, **kwargs):
        from courses.access import lesson_gate

        progress = self._progress(request)
        refusal = lesson_gate(request=request, lesson=self, progress=progress)
        if refusal is not None:
            return refusal
        return super().serve(request, *args, **kwargs)

    def _progress(self, request):
        from courses.progress import get_progress

        if not hasattr(request, "_lesson_progress"):
            course = self.course
            request._lesson_progress = (
                get_progress(learner=request.user, course=course, request=request)
                if course
                else None
            )
        return request._lesson_progress

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        progress = self._progress(request)
        outline = progress.outline if progress else None
        context["course"] = self.course
        context["progress"] = progress
        context["outline"] = outline
        context["module_entry"] = outline.module_of(self.pk) if outline else None
        context["module_state"] = (
            progress.module_state_of_step(self.pk) if progress else None
        )
        context["previous_lesson"], context["next_lesson"] = (
            outline.neighbours(self.pk) if outline else (None, None)
        )
        context["lesson_done"] = bool(progress) and self.pk in progress.done_at
        context["content_version"] = page_cache.version(request)
        return context


def course_of(page: Page):
    """The course a page belongs to, from the cache until the next publish."""
    from django.core.cache import cache

    from courses.outline import outline_version

    key = f"courses:course-of:{outline_version()}:{page.pk}"
    course = cache.get(key)
    if course is None:
        course = CoursePage.objects.ancestor_of(page).defer_streamfields().first()
        cache.set(key, course, 60 * 60)
    return course
