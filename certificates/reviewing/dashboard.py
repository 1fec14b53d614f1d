"""The admin's home and menu for people whose work is only to review.

Reviewers and organisers edit no pages: Wagtail's help menu (an English
guide to page editing) is not for them, and their dashboard opens on links
to the workspace instead of empty lists of pages.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import GroupPagePermission

from certificates.reviewing.completion_report import PERMISSION as REPORTS


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
    name = "reviewer_workspace"
    order = 10
    template_name = "certificates/reviewing/dashboard_panel.html"

    def get_context_data(self, parent_context):
        return {
            "links": [
                (_("Completion report"), reverse("review_completions")),
                (_("Statistics"), reverse("review_statistics")),
                (_("Certificate register"), reverse("certificate_register:index")),
                (_("Check a list of certificates"), reverse("review_bulk_verify")),
            ]
        }


@hooks.register("construct_homepage_panels")
def add_reviewer_panel(request, panels):
    if request.user.has_perm(REPORTS):
        panels.insert(0, ReviewerPanel())
