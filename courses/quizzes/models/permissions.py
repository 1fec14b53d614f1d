"""Who may delete a question: a live one only those who may publish questions.

Wagtail's rule for pages, applied to questions: deleting what learners are
given takes the right to publish (``PagePermissionTester.can_delete``). An
editor without it asks for the question's removal instead, by ticking
«withdrawn from the quiz» and submitting that change for moderation; a
question that never went live (or was unpublished) they may delete.

Registered for each question type, exactly (Wagtail gives each concrete model
its own permissions), from ``courses.quizzes.models`` at import, before any
view or action can ask the registry for a fallback policy.
"""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy


class QuestionPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if (
            action == "delete"
            and instance.live
            and not self.user_has_permission(user, "publish")
        ):
            return False
        return super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_permission_for(self, user, action):
        instances = super().instances_user_has_permission_for(user, action)
        if action == "delete" and not self.user_has_permission(user, "publish"):
            instances = instances.filter(live=False)
        return instances


def register(models) -> None:
    for model in models:
        if policy_registry.get_by_type(model, fallback=False) is None:
            register_permission_policy(
                model, QuestionPermissionPolicy(model), exact_class=True
            )
