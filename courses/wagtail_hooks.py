from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from courses.deletion import has_learning_records, refusal_message
from courses.quiz_admin.links import (
    STATS_RESULTS_URL_NAME,
    STATS_URL_NAME,
    may_see_stats,
)
from courses.quiz_admin.questions import QuizQuestionsViewSet
from courses.quiz_admin.stats import QuestionStatsView
from courses.quiz_admin.viewsets import QuestionViewSetGroup


@hooks.register("before_delete_page")
def keep_pages_with_learning_records(request, page):
    """Learners' records must outlive content; editors unpublish instead."""
    if has_learning_records(page):
        messages.error(request, refusal_message())
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def keep_pages_with_learning_records_in_bulk(request, action_type, objects, action):
    """The bulk delete refuses the same pages, with the same message.

    The whole action is refused, so nothing is deleted half-way.
    """
    if action_type != "delete" or not issubclass(action.model, Page):
        return None
    kept = [
        page.get_admin_display_title() for page in objects if has_learning_records(page)
    ]
    if not kept:
        return None
    messages.error(request, refusal_message(kept))
    return redirect(action.next_url or "wagtailadmin_explore_root")


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
