"""Admin addresses around a quiz, and who may follow them."""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.permissions import policy_registry

from courses.quizzes.models import QUESTION_TYPES, Question

STATS_URL_NAME = "courses_quiz_question_stats"
STATS_RESULTS_URL_NAME = "courses_quiz_question_stats_results"


def can(user, model, action: str) -> bool:
    return policy_registry.get_by_type(model).user_has_permission(user, action)


def can_delete(user, question: Question) -> bool:
    """Whether ``user`` may delete ``question`` (a live one: those who publish)."""
    policy = policy_registry.get_by_type(type(question))
    return policy.user_has_permission_for_instance(user, "delete", question)


def question_model(content_type_id: int) -> type[Question]:
    """The question type stored under a polymorphic content type id (cached)."""
    return ContentType.objects.get_for_id(content_type_id).model_class()


def question_url(model: type[Question], action: str, *args) -> str:
    """The address of a question type's admin view: ``add``, ``edit``, ``delete``."""
    return reverse(model.snippet_viewset.get_url_name(action), args=args)


def add_question_url(model: type[Question], quiz_id: int) -> str:
    return f"{question_url(model, 'add')}?{urlencode({'quiz': quiz_id})}"


def add_question_links(*, quiz_id: int, user) -> list[tuple[str, str]]:
    """(type name, address) for each question type the user may add, in order."""
    return [
        (str(model._meta.verbose_name), add_question_url(model, quiz_id))
        for model in QUESTION_TYPES.values()
        if can(user, model, "add")
    ]


def quiz_questions_url(quiz_id: int) -> str:
    return reverse("quiz_questions:index", args=[quiz_id])


def quiz_preview_url(quiz_id: int) -> str:
    """The quiz as a learner sees it, rendered by the page's preview."""
    return reverse("wagtailadmin_pages:view_draft", args=[quiz_id])


def quiz_edit_url(quiz_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[quiz_id])


def quiz_stats_url(quiz_id: int | None = None) -> str:
    url = reverse(STATS_URL_NAME)
    return f"{url}?{urlencode({'quiz': quiz_id})}" if quiz_id else url


def may_see_stats(user) -> bool:
    return user.has_perm("courses.view_questionresult")
