from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms import outbox_admin
from lms.models import Hromada, Oblast, PositionCategory


class OblastViewSet(SnippetViewSet):
    model = Oblast
    icon = "site"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "name"]


class HromadaViewSet(SnippetViewSet):
    model = Hromada
    icon = "home"
    list_display = ["name", "oblast", "kind", "military_administration", "code"]
    list_filter = ["oblast", "kind", "military_administration"]
    search_fields = ["name", "code"]


class PositionCategoryViewSet(SnippetViewSet):
    model = PositionCategory
    icon = "tag"
    list_display = ["code", "name", "service"]
    list_filter = ["service"]


class ReferenceDataGroup(SnippetViewSetGroup):
    items = (OblastViewSet, HromadaViewSet, PositionCategoryViewSet)
    menu_icon = "list-ul"
    menu_label = _("Reference data")
    menu_name = "reference-data"


register_snippet(ReferenceDataGroup)


# The outbox (Reports → «Листи», lms/outbox_admin.py) -------------------------

_outbox_viewset = outbox_admin.OutboxViewSet()


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return _outbox_viewset


@hooks.register("register_reports_menu_item")
def register_outbox_menu_item():
    return _outbox_viewset.get_menu_item()


@hooks.register("register_log_actions")
def register_outbox_log_actions(actions):
    actions.register_action(
        outbox_admin.ACTION_REQUEUE,
        _("Send e-mail again"),
        _("E-mail queued to be sent again"),
    )
