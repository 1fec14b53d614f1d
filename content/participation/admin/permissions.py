"""Applications are read and decided on in the admin, never added or edited.

Applications come only from applicants; organisers change them only through
decisions (``decide``) and attendance, which services.py records in the audit
log. The policy refuses every other action, to superusers too, and limits
each application to the organisers who manage its pilot or event.
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

from content.participation.admin import scope

VIEW = "view"
DECIDE = "decide"
ALLOWED_ACTIONS = frozenset({VIEW, DECIDE})


class ApplicationPermissionPolicy(ModelPermissionPolicy):
    """``view`` needs content.view_application; ``decide``, decide_application."""

    def user_has_permission(self, user, action):
        if action not in ALLOWED_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in ALLOWED_ACTIONS]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and scope.manages(
            user, instance.page_id
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return scope.applications(user, self.model._default_manager.all())
