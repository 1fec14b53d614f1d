"""The admin of pilots and events: the organisers' screens for applications.

See content/participation/admin/ for the views, the permission policy, the
bulk actions and the audit log words; this module registers them.
"""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from content.participation.admin import bulk_actions, log_actions
from content.participation.admin.permissions import ApplicationPermissionPolicy
from content.participation.admin.viewsets import ParticipationAdminGroup
from content.participation.models import Application, ApplicationLogEntry

# Before the viewset is registered: it would otherwise fall back to Wagtail's
# model policy, which grants add, edit and delete to whoever holds them.
register_permission_policy(Application, ApplicationPermissionPolicy(Application))

register_snippet(ParticipationAdminGroup)

for action in bulk_actions.ACTIONS:
    hooks.register("register_bulk_action", action)
# After Wagtail's own snippet «delete» (order 0), so that this one replaces it
# for applications.
hooks.register("register_bulk_action", bulk_actions.RefuseDeleteBulkAction, order=1)


@hooks.register("register_log_actions")
def register_application_log_actions(actions):
    log_actions.register(actions)
    # Entries of their own, so that the site history keeps each organiser
    # to the pilots and events they manage (ApplicationLogEntryManager).
    actions.register_model(Application, ApplicationLogEntry)
