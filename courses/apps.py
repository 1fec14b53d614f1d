from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from courses import progress_cache, selectors
        from courses.outline import forget_outlines
        from courses.progress import follow_profile
        from lms import data_export
        from lms.signals import profile_updated

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(forget_outlines, dispatch_uid=f"outline-{id(signal)}")
        post_delete.connect(_forget_on_page_delete, dispatch_uid="outline-delete")
        progress_cache.connect()
        profile_updated.connect(follow_profile, dispatch_uid="courses.follow_profile")

        data_export.register_section(
            "enrolments",
            _("Courses"),
            selectors.enrolments_for_export,
            field_labels={
                "course": _("course"),
                "enrolled_at": _("enrolled at"),
                "completed_at": _("completed at"),
            },
        )
        data_export.register_section(
            "completed_steps",
            _("Completed steps"),
            selectors.completions_for_export,
            field_labels={
                "step": _("step"),
                "kind": _("kind"),
                "completed_at": _("completed at"),
            },
        )
        data_export.register_section(
            "quiz_attempts",
            _("Quiz attempts"),
            selectors.attempts_for_export,
            field_labels={
                "quiz": _("quiz"),
                "number": _("attempt number"),
                "status": _("status"),
                "started_at": _("started at"),
                "closed_at": _("closed at"),
                "percent": _("result, %"),
                "passed": _("passed"),
                "answers": _("answers"),
            },
        )


def _forget_on_page_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    from courses.outline import forget_outlines

    if isinstance(instance, Page):
        forget_outlines()
