"""Where each question stands in moderation, for listings, in the same query.

Wagtail's status of a draft-state object (``status_string``) asks the
database once per object whether a workflow is running and whether a
revision is scheduled. Listings annotate both onto their one query instead;
``Question`` reads the annotations when they are there.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision, WorkflowState

from courses.quizzes.models import Question


def _of_question(queryset):
    base = ContentType.objects.get_for_model(Question)
    return queryset.filter(
        base_content_type=base,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )


def with_status(queryset):
    """``queryset`` of questions annotated with what their status needs."""
    states = _of_question(WorkflowState.objects.all())
    return queryset.annotate(
        _workflow_in_progress=Exists(
            states.filter(status=WorkflowState.STATUS_IN_PROGRESS)
        ),
        _changes_requested=Exists(
            states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
        ),
        _approved_schedule=Exists(
            _of_question(Revision.objects.filter(approved_go_live_at__isnull=False))
        ),
    )


def status_tags(question) -> list[tuple[str, bool]]:
    """(label, is the approved state) for each thing to say about a question.

    Wagtail's own status first (draft, in moderation, live + draft…), then
    what it does not say: changes asked for by a moderator, withdrawal, a lock.
    """
    tags = [(str(question.status_string), _is_settled(question))]
    if getattr(question, "_changes_requested", False):
        tags.append((str(_("changes requested")), False))
    if question.live and question.withdrawn:
        tags.append((str(_("withdrawn from the quiz")), False))
    if question.locked:
        tags.append((str(_("locked")), False))
    return tags


def _is_settled(question) -> bool:
    """Live with nothing pending: what learners get is what the editor sees."""
    return (
        question.live
        and not question.has_unpublished_changes
        and not question.workflow_in_progress
    )


def has_pending_changes(question) -> bool:
    return not question.live or question.has_unpublished_changes
