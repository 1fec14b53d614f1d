from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from courses.models import Completion, Enrolment
from courses.quiz_admin.links import (
    STATS_RESULTS_URL_NAME,
    STATS_URL_NAME,
    may_see_stats,
)
from courses.quiz_admin.questions import QuizQuestionsViewSet
from courses.quiz_admin.stats import QuestionStatsView
from courses.quiz_admin.viewsets import QuestionViewSetGroup


def has_learning_records(page: Page) -> bool:
    """Whether learners' records point at this page or below it."""
    pages = Page.objects.filter(path__startswith=page.path).values("pk")
    return (
        Enrolment.objects.filter(course_id__in=pages).exists()
        or Completion.objects.filter(page_id__in=pages).exists()
    )


@hooks.register("before_delete_page")
def keep_pages_with_learning_records(request, page):
    """Learners' records must outlive content; editors unpublish instead."""
    if has_learning_records(page):
        messages.error(
            request,
            _(
                "Learners have records in this part of the course, so it cannot be "
                "deleted. Unpublish it instead: the records are kept."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


# Quiz building -------------------------------------------------------------

register_snippet(QuestionViewSetGroup)


@hooks.register("register_admin_viewset")
def register_quiz_questions_viewset():
    return QuizQuestionsViewSet()


@hooks.register("register_admin_urls")
def register_quiz_statistics_urls():
    return [
        path(
            "reports/quiz-questions/", QuestionStatsView.as_view(), name=STATS_URL_NAME
        ),
        path(
            "reports/quiz-questions/results/",
            QuestionStatsView.as_view(results_only=True),
            name=STATS_RESULTS_URL_NAME,
        ),
    ]


class QuizStatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_stats(request.user)


@hooks.register("register_reports_menu_item")
def register_quiz_statistics_menu_item():
    return QuizStatisticsMenuItem(
        gettext_lazy("Quiz statistics"),
        reverse(STATS_URL_NAME),
        icon_name="table",
        order=900,
    )
