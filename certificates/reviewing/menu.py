"""The reviewers' menu in the Wagtail admin: one group of what they use.

Each part of the workspace registers its item with the hook
``register_review_menu_item`` (an ordinary ``MenuItem`` whose ``is_shown``
asks for the permission the part needs); the group shows when any is shown.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

REVIEW_MENU_HOOK = "register_review_menu_item"


class PermissionMenuItem(MenuItem):
    """Shown to users with any of ``permissions``."""

    def __init__(self, *args, permissions: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return any(request.user.has_perm(name) for name in self.permissions)


review_menu = Menu(register_hook_name=REVIEW_MENU_HOOK)


def add_to_review_menu(
    label, url_name: str, *, name: str, icon: str, order: int, permission: str
) -> None:
    """Adds an item to the reviewers' menu, shown to users with ``permission``."""

    def item():
        return PermissionMenuItem(
            label,
            reverse(url_name),
            name=name,
            icon_name=icon,
            order=order,
            permissions=(permission,),
        )

    hooks.register(REVIEW_MENU_HOOK, item)


@hooks.register("register_admin_menu_item")
def register_review_menu():
    return SubmenuMenuItem(
        _("Reviewing"),
        review_menu,
        name="reviewing",
        icon_name="tasks",
        order=150,
    )
