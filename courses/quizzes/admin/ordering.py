"""The order of a quiz's questions: ``sort_order`` counts 0, 1, 2… within a quiz."""

from django.db import transaction
from django.db.models import Max

from courses.quizzes.models import Question


def next_sort_order(*, quiz_id: int) -> int:
    """The place after the quiz's last question."""
    last = Question.objects.filter(quiz_id=quiz_id).aggregate(last=Max("sort_order"))
    return 0 if last["last"] is None else last["last"] + 1


def move_question(*, question: Question, position: int) -> None:
    """Puts the question at ``position`` (from 0) and renumbers the quiz's questions.

    Renumbering the whole quiz also repairs equal numbers, e.g. several
    questions left at the default 0.
    """
    with transaction.atomic():
        siblings = Question.objects.non_polymorphic().select_for_update()
        current = dict(
            siblings.filter(quiz_id=question.quiz_id)
            .order_by("sort_order", "pk")
            .values_list("pk", "sort_order")
        )
        ids = [pk for pk in current if pk != question.pk]
        ids.insert(max(0, min(position, len(ids))), question.pk)
        changed = [
            Question(pk=pk, sort_order=order)
            for order, pk in enumerate(ids)
            if current.get(pk) != order
        ]
        Question.objects.non_polymorphic().bulk_update(changed, ["sort_order"])
