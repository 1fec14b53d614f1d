"""One snippet viewset per question type, grouped in the «Питання тестів» menu.

Questions are moderated with Wagtail's own snippet views: drafts, preview,
submission to the workflow, approval, history, comparison, reverting and
locking all come from ``SnippetViewSet`` for models with Wagtail's mixins,
and so does the audit log of each step. What is added here: the quiz filled
in from the address, a question's quiz fixed once it exists, and deletion of
a live question only for those who may publish (others request withdrawal).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from courses.quizzes.admin import forms, links
from courses.quizzes.admin.choosers import QuestionChooserViewSet
from courses.quizzes.admin.ordering import next_sort_order
from courses.quizzes.admin.panels import QuestionQuizPanel
from courses.quizzes.admin.status import with_status
from courses.quizzes.models import (
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    OrderingQuestion,
    QuizPage,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
)


class QuestionCreateView(CreateView):
    """Adds a question; ``?quiz=<id>`` fills in the quiz and puts it last."""

    def get_initial(self):
        initial = super().get_initial()
        quiz_id = self.request.GET.get("quiz", "")
        if quiz_id.isdigit() and QuizPage.objects.filter(pk=quiz_id).exists():
            initial["quiz"] = int(quiz_id)
            initial["sort_order"] = next_sort_order(quiz_id=int(quiz_id))
        return initial

    def get_success_url(self):
        if self.draftstate_enabled and self.action == "create":
            return super().get_success_url()  # a draft stays in the editor
        return links.quiz_questions_url(self.object.quiz_id)


class QuestionEditView(EditView):
    """Wagtail's editor; ``?withdraw=1`` opens it with withdrawal ticked."""

    def get_initial(self):
        initial = super().get_initial()
        if self.request.method == "GET" and self.request.GET.get("withdraw") == "1":
            initial["withdrawn"] = True
        return initial

    def get_success_url(self):
        if self.draftstate_enabled and self.action in ("create", "edit"):
            return super().get_success_url()  # a draft stays in the editor
        return links.quiz_questions_url(self.object.quiz_id)


class QuestionIndexView(IndexView):
    def get_delete_url(self, instance):
        if links.can_delete(self.request.user, instance):
            return super().get_delete_url(instance)
        return None


class QuestionDeleteView(DeleteView):
    """Deletes a question; a live one only for those who may publish questions.

    Anyone else is sent to the editor with withdrawal ticked, to submit it
    for moderation like any change.
    """

    def dispatch(self, request, *args, **kwargs):
        if self.user_has_permission("delete") and not links.can_delete(
            request.user, self.object
        ):
            messages.warning(
                request,
                gettext(
                    "Learners are given this question, so removing it needs "
                    "approval. Tick «withdrawn from the quiz» and submit the "
                    "change for moderation."
                ),
            )
            edit_url = links.question_url(type(self.object), "edit", self.object.pk)
            return redirect(f"{edit_url}?withdraw=1")
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        next_url = get_valid_next_url_from_request(self.request)
        return next_url or links.quiz_questions_url(self.object.quiz_id)


def question_panels(*type_panels) -> list:
    return [
        QuestionQuizPanel(heading=_("Quiz")),
        FieldPanel("quiz"),
        FieldPanel("text"),
        FieldPanel("points"),
        FieldPanel("explanation"),
        *type_panels,
        # On a new question only: the order of existing questions is changed
        # on the quiz's list, at once, by those who may publish (the form
        # leaves the field out when editing).
        FieldPanel(
            "sort_order",
            help_text=_("Questions are asked from the smallest number up."),
        ),
        FieldPanel("withdrawn"),
    ]


def choice_panels(formset_class) -> list:
    return [
        forms.ChildRowsPanel(
            "options",
            formset_class=formset_class,
            label=_("Option"),
            heading=_("Options"),
            help_text=_(
                "The feedback of an option is shown to a learner who chose it, "
                "when the quiz shows answers."
            ),
            min_num=2,
        )
    ]


class QuestionViewSet(SnippetViewSet):
    """What every question type shares: listing by quiz and the quiz's order."""

    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    delete_view_class = QuestionDeleteView
    copy_view_enabled = False  # a copy would not carry the options along
    # Wagtail's drag and drop would renumber one type across all quizzes;
    # the order is kept per quiz on the quiz's own question list instead.
    sort_order_field = None
    list_display = ["text", "quiz", "points", "sort_order"]
    list_filter = ["quiz"]
    ordering = ["quiz__path", "sort_order", "pk"]
    search_fields = ["text"]
    form_class = forms.QuestionForm
    # The question text is the answer key: only those who may change
    # questions may list them in a chooser.
    chooser_viewset_class = QuestionChooserViewSet

    def get_queryset(self, request):
        return with_status(self.model.objects.select_related("quiz"))

    def get_edit_handler(self):
        return ObjectList(
            self.question_panels, base_form_class=self.form_class
        ).bind_to_model(self.model)


class SingleChoiceQuestionViewSet(QuestionViewSet):
    model = SingleChoiceQuestion
    icon = "radio-full"
    question_panels = question_panels(*choice_panels(forms.SingleChoiceOptionsFormSet))


class MultipleChoiceQuestionViewSet(QuestionViewSet):
    model = MultipleChoiceQuestion
    icon = "tasks"
    question_panels = question_panels(
        FieldPanel("scoring"),
        *choice_panels(forms.MultipleChoiceOptionsFormSet),
    )


class TrueFalseQuestionViewSet(QuestionViewSet):
    model = TrueFalseQuestion
    icon = "circle-check"
    question_panels = question_panels(
        FieldPanel("correct_answer"),
        FieldPanel("feedback_true"),
        FieldPanel("feedback_false"),
    )


class ShortTextQuestionViewSet(QuestionViewSet):
    model = ShortTextQuestion
    icon = "title"
    form_class = forms.ShortTextQuestionForm
    question_panels = question_panels(FieldPanel("accepted_answers"))


class NumericQuestionViewSet(QuestionViewSet):
    model = NumericQuestion
    icon = "decimal"
    form_class = forms.NumericQuestionForm
    question_panels = question_panels(
        FieldPanel("correct_value"), FieldPanel("tolerance")
    )


class MatchingQuestionViewSet(QuestionViewSet):
    model = MatchingQuestion
    icon = "link"
    question_panels = question_panels(
        forms.ChildRowsPanel(
            "pairs",
            formset_class=forms.MatchingPairsFormSet,
            label=_("Pair"),
            heading=_("Pairs"),
            help_text=_("Learners see the matches shuffled."),
            min_num=2,
        )
    )


class OrderingQuestionViewSet(QuestionViewSet):
    model = OrderingQuestion
    icon = "list-ol"
    question_panels = question_panels(
        forms.ChildRowsPanel(
            "items",
            formset_class=forms.OrderingItemsFormSet,
            label=_("Item"),
            heading=_("Items in the right order"),
            help_text=_(
                "Enter the items in the right order; learners see them shuffled."
            ),
            min_num=2,
        )
    )


class QuestionViewSetGroup(SnippetViewSetGroup):
    items = (
        SingleChoiceQuestionViewSet,
        MultipleChoiceQuestionViewSet,
        TrueFalseQuestionViewSet,
        ShortTextQuestionViewSet,
        NumericQuestionViewSet,
        MatchingQuestionViewSet,
        OrderingQuestionViewSet,
    )
    menu_icon = "clipboard-list"
    menu_label = _("Quiz questions")
    menu_name = "quiz-questions"
    menu_order = 250
