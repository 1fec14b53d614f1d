"""Question choosers open only for those who may change questions.

A question's text, with its options beside it in the editor, is the answer
key. Wagtail's snippet choosers check nothing beyond admin access, so any
reviewer or organiser could list the pool through them. Each chooser view
here asks the question type's permission policy for ``change`` first, the
way Wagtail's own edit views do; anyone else is refused as Wagtail refuses
(a redirect to the dashboard, or 403 to the modal's script).

Images and documents need nothing here: their choosers list only what a
collection lets the user choose, and the role groups hold no collection
permission.
"""

from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)


class QuestionChooserPermissionMixin(PermissionCheckedMixin):
    permission_required = "change"


class QuestionChooseView(QuestionChooserPermissionMixin, ChooseView):
    pass


class QuestionChooseResultsView(QuestionChooserPermissionMixin, ChooseResultsView):
    pass


class QuestionChosenView(QuestionChooserPermissionMixin, SnippetChosenView):
    pass


class QuestionChosenMultipleView(
    QuestionChooserPermissionMixin, SnippetChosenMultipleView
):
    pass


class QuestionChooserCreateView(QuestionChooserPermissionMixin, SnippetCreateView):
    pass


class QuestionChooserViewSet(SnippetChooserViewSet):
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
    chosen_view_class = QuestionChosenView
    chosen_multiple_view_class = QuestionChosenMultipleView
    create_view_class = QuestionChooserCreateView
