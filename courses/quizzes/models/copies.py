"""A copied quiz gets copies of its questions, independent of the originals.

The rule follows Wagtail's copy of the page itself: a copy published at once
(the admin's «publish copies», or ``Page.copy(keep_live=True)``, which only
someone allowed to publish pages there may ask for) gets its live questions
as live copies of their approved content; any other copy, and any question
that was a draft, gets draft copies, which go through moderation like any
new question. A draft copy holds the original's latest content (its pending
draft, if any), as a copied page's draft does; a live copy holds what
learners get. Each copy starts its own history: a revision of what was
copied, logged (and published, for live copies) under the person who copied
the page. Withdrawal travels with the content, the history does not.
"""

from wagtail.actions.create import CreateAction
from wagtail.models.copying import _copy

# Fields about the original's state and history, which a copy does not take.
NOT_COPIED = [
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "latest_revision",
    "go_live_at",
    "expire_at",
    "expired",
    "locked",
    "locked_at",
    "locked_by",
]


def copy_questions(*, source_id: int, quiz) -> int:
    """Copies the questions of quiz ``source_id`` into ``quiz``; returns how many."""
    from courses.quizzes.models.questions import Question

    user = quiz.owner  # Wagtail makes the person who copies the owner of the copy
    copied = 0
    for question in Question.objects.filter(quiz_id=source_id).order_by(
        "sort_order", "pk"
    ):
        publish = bool(quiz.live and question.live)
        content = question if publish else question.get_latest_revision_as_object()
        copy, _children = _copy(
            content, exclude_fields=NOT_COPIED, update_attrs={"quiz": quiz}
        )
        # Checked when it was saved or approved; a copy is not refused for it.
        CreateAction(copy, user=user, publish=publish, clean=False).execute(
            skip_permission_checks=True
        )
        copied += 1
    return copied
