"""Admin forms of the question types: the rows of a question are checked together."""

from django import forms
from django.core.exceptions import ValidationError
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel

from courses.quizzes.admin import rules


class KnownRowField(forms.ModelChoiceField):
    """The hidden id of a row: one of the version being edited, even if gone.

    A row of an earlier revision (the version an editor reverts to, or a
    draft older than the last approval) may have been deleted since by
    publishing a version without it. Django checks row ids against the
    database, which would refuse the form Wagtail itself filled in; the row
    is known to the version being edited, and publishing it writes the row
    back under its id.
    """

    def __init__(self, formset, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formset = formset

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                known = self.formset._existing_object(int(value))
            except (TypeError, ValueError):
                known = None
            if known is not None:
                return known
        return super().to_python(value)


class ChildRowsFormSet(BaseChildFormSet):
    """Options, pairs or items of a question; ``row_errors`` checks the kept rows."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField):
            form.fields[name] = KnownRowField(
                self,
                queryset=field.queryset,
                initial=field.initial,
                required=False,
                widget=field.widget,
            )

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
    """The common admin form of every question type.

    Once a question exists its quiz is fixed and its place is changed on the
    quiz's list: both belong to the quiz, not to the question's revisions.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields.pop("sort_order", None)
            if "quiz" in self.fields:
                self.fields["quiz"].disabled = True


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
