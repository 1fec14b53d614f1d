"""Admin forms of the question types: the rows of a question are checked together."""

from django.core.exceptions import ValidationError
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel

from courses.quizzes.admin import rules


class ChildRowsFormSet(BaseChildFormSet):
    """Options, pairs or items of a question; ``row_errors`` checks the kept rows."""

    def kept_rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return  # each row's own errors first
        errors = self.row_errors(self.kept_rows())
        if errors:
            raise ValidationError(errors)

    def row_errors(self, rows: list[dict]) -> list[str]:
        raise NotImplementedError


class SingleChoiceOptionsFormSet(ChildRowsFormSet):
    def row_errors(self, rows):
        return rules.choice_errors([r["is_correct"] for r in rows], single=True)


class MultipleChoiceOptionsFormSet(ChildRowsFormSet):
    def row_errors(self, rows):
        return rules.choice_errors([r["is_correct"] for r in rows], single=False)


class MatchingPairsFormSet(ChildRowsFormSet):
    def row_errors(self, rows):
        return rules.pair_errors([(r["left"], r["right"]) for r in rows])


class OrderingItemsFormSet(ChildRowsFormSet):
    def row_errors(self, rows):
        return rules.item_errors([r["text"] for r in rows])


class ChildRowsPanel(InlinePanel):
    """An InlinePanel whose rows are validated together by ``formset_class``.

    ``min_num`` only sets how many empty rows a new question starts with: the
    formset's own message says what is missing more clearly than Django's.
    """

    def __init__(self, relation_name, *args, formset_class, **kwargs):
        super().__init__(relation_name, *args, **kwargs)
        self.formset_class = formset_class

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "formset_class": self.formset_class}

    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        formset["formset"] = self.formset_class
        formset["validate_min"] = False
        return options


class QuestionForm(WagtailAdminModelForm):
    """The common admin form of every question type."""


class ShortTextQuestionForm(QuestionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rule below says what is missing better than «required».
        self.fields["accepted_answers"].required = False

    def clean_accepted_answers(self):
        value = self.cleaned_data["accepted_answers"]
        errors = rules.accepted_answer_errors(value)
        if errors:
            raise ValidationError(errors)
        return value


class NumericQuestionForm(QuestionForm):
    def clean_tolerance(self):
        value = self.cleaned_data["tolerance"]
        errors = rules.tolerance_errors(value)
        if errors:
            raise ValidationError(errors)
        return value
