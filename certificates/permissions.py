"""The register cannot be edited in the admin, not even by superusers: issued
certificates change only through revoke and re-issue (certificates.issuing)."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

EDITING_ACTIONS = frozenset({"add", "change", "delete"})


class ReadOnlyRegisterPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action in EDITING_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in EDITING_ACTIONS]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)
