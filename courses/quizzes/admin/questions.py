"""All questions of one quiz, whatever their type, in order; drag and drop reorders.

Each with where it stands in moderation. Reordering changes what learners get
at once, so it takes the right to publish questions, as reordering pages
takes the right to publish pages in Wagtail.
"""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import Button, ButtonWithDropdown

from courses.quizzes.admin import links
from courses.quizzes.admin.ordering import move_question
from courses.quizzes.admin.status import status_tags, with_status
from courses.quizzes.models import QUESTION_TYPES, Question, QuizPage


def may_reorder(user) -> bool:
    return all(links.can(user, model, "publish") for model in QUESTION_TYPES.values())


class QuizQuestionsView(IndexView):
    model = Question
    page_title = gettext_lazy("Questions of the quiz")
    header_icon = "clipboard-list"
    index_url_name = "quiz_questions:index"
    index_results_url_name = "quiz_questions:index_results"
    sort_order_field = "sort_order"
    default_ordering = "sort_order"
    paginate_by = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.quiz = get_object_or_404(QuizPage, pk=kwargs["quiz_id"])

    def get_base_queryset(self):
        return with_status(Question.objects.filter(quiz=self.quiz))

    def order_queryset(self, queryset):
        return queryset.order_by("sort_order", "pk")

    def get_page_subtitle(self):
        return self.quiz.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": links.quiz_edit_url(self.quiz.pk), "label": self.quiz.title},
            {"url": "", "label": self.page_title},
        ]

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.quiz.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.quiz.pk])

    def get_reorder_url(self):
        if may_reorder(self.request.user):
            return reverse("quiz_questions:reorder", args=[self.quiz.pk, 999999])
        return None

    def get_edit_url(self, instance):
        if links.can(self.request.user, type(instance), "change"):
            return links.question_url(type(instance), "edit", quote(instance.pk))
        return None

    def get_delete_url(self, instance):
        if links.can_delete(self.request.user, instance):
            url = links.question_url(type(instance), "delete", quote(instance.pk))
            return f"{url}?next={self.index_url}"
        return None

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        model = type(instance)
        if (
            instance.live
            and not instance.withdrawn
            and not links.can_delete(self.request.user, instance)
            and links.can(self.request.user, model, "change")
        ):
            url = links.question_url(model, "edit", quote(instance.pk))
            buttons.append(
                Button(
                    _("Request withdrawal"),
                    url=f"{url}?withdraw=1",
                    icon_name="bin",
                    priority=30,
                )
            )
        return buttons

    def get_add_url(self):
        return None  # one link per type, in the header

    @cached_property
    def columns(self):
        return [
            self._get_title_column("text", column_class=TitleColumn),
            Column(
                "type",
                label=gettext_lazy("Type"),
                accessor=lambda question: capfirst(question._meta.verbose_name),
            ),
            Column("points", label=gettext_lazy("Points")),
            Column(
                "status",
                label=gettext_lazy("Status"),
                accessor=lambda question: ", ".join(
                    label for label, _settled in status_tags(question)
                ),
            ),
        ]

    @cached_property
    def header_buttons(self):
        add_links = links.add_question_links(
            quiz_id=self.quiz.pk, user=self.request.user
        )
        if not add_links:
            return []
        return [
            ButtonWithDropdown(
                label=_("Add question"),
                icon_name="plus",
                buttons=[
                    Button(label, url=url, priority=number)
                    for number, (label, url) in enumerate(add_links)
                ],
                classname="w-h-slim-header",
            )
        ]

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button(
                _("Preview the quiz as a learner"),
                url=links.quiz_preview_url(self.quiz.pk),
                icon_name="view",
                priority=10,
            ),
            Button(
                _("Quiz settings"),
                url=links.quiz_edit_url(self.quiz.pk),
                icon_name="edit",
                priority=20,
            ),
        ]
        if links.may_see_stats(self.request.user):
            buttons.append(
                Button(
                    _("Question statistics"),
                    url=links.quiz_stats_url(self.quiz.pk),
                    icon_name="table",
                    priority=30,
                )
            )
        return buttons


class QuestionReorderView(PermissionCheckedMixin, View):
    """Moves a question to ``?position=`` (from 0) among its quiz's questions.

    Those who may change questions reach it; moving one takes the right to
    publish its type, since learners get the new order at once.
    """

    model = Question
    permission_required = "change"

    def post(self, request, quiz_id: int, pk: int):
        question = get_object_or_404(
            Question.objects.non_polymorphic(), pk=pk, quiz_id=quiz_id
        )
        model = links.question_model(question.polymorphic_ctype_id)
        if not links.can(request.user, model, "publish"):
            raise PermissionDenied
        position = request.GET.get("position", "")
        # Like Wagtail's own reordering: a missing position means the end.
        last = Question.objects.filter(quiz_id=quiz_id).count()
        move_question(
            question=question,
            position=int(position) if position.isdigit() else last,
        )
        return JsonResponse({"success": True})


class QuizQuestionsViewSet(ViewSet):
    name = "quiz_questions"
    url_prefix = "quiz-questions"
    icon = "clipboard-list"

    def get_urlpatterns(self):
        listing = QuizQuestionsView.as_view()
        return [
            path("<int:quiz_id>/", listing, name="index"),
            path(
                "<int:quiz_id>/results/",
                QuizQuestionsView.as_view(results_only=True),
                name="index_results",
            ),
            path(
                "<int:quiz_id>/reorder/<int:pk>/",
                QuestionReorderView.as_view(),
                name="reorder",
            ),
        ]
