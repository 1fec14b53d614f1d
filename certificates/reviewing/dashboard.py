"""The admin's home and menu for people whose work is only to review.

Reviewers and organisers edit no pages: Wagtail's help menu (an English
guide to page editing) is not for them, and their dashboard opens on links
to the workspace instead of empty lists of pages.
"""

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import GroupPagePermission

from certificates.reviewing.completion_report import PERMISSION as REPORTS
from certificates.reviewing.menu import review_menu


def edits_pages(user) -> bool:
    """Whether any group of the user holds a permission on pages."""
    return (
        user.is_superuser
        or GroupPagePermission.objects.filter(group__user=user).exists()
    )


@hooks.register("construct_main_menu")
def hide_help_from_reviewers(request, menu_items):
    if not edits_pages(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "help"]


class ReviewerPanel(Component):
    """Links to every part of the workspace the user may open: the items of
    the reviewers' menu, so that a part added there appears here too."""

    name = "reviewer_workspace"
    order = 10
    template_name = "certificates/reviewing/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        items = sorted(
            review_menu.menu_items_for_request(self.request),
            key=lambda item: item.order,
        )
        return {"links": [(item.label, item.url) for item in items]}


@hooks.register("construct_homepage_panels")
def add_reviewer_panel(request, panels):
    if request.user.has_perm(REPORTS):
        panels.insert(0, ReviewerPanel(request))
