"""Registers quiz building with Wagtail: the question snippets, each quiz's
question list, and the statistics report with its menu item.

``courses/wagtail_hooks.py`` imports this module, which registers the hooks.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from courses.quizzes.admin.links import (
    STATS_RESULTS_URL_NAME,
    STATS_URL_NAME,
    may_see_stats,
)
from courses.quizzes.admin.questions import QuizQuestionsViewSet
from courses.quizzes.admin.stats import QuestionStatsView
from courses.quizzes.admin.viewsets import QuestionViewSetGroup

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
