"""Administrators limit an organiser to some pilots and events.

A plain Wagtail ``ModelViewSet`` over ``OrganiserAssignment``: creating and
deleting assignments is logged in the audit log like any model change. Only
users with the model's permissions (administrators) see it; organisers
cannot widen their own scope.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

from content.participation.models import OrganiserAssignment, ParticipationPage
from lms.roles import ORGANISERS


class AssignmentForm(WagtailAdminModelForm):
    class Meta:
        model = OrganiserAssignment
        fields = ["organiser", "page"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = (
            get_user_model()
            .objects.filter(groups__name=ORGANISERS, is_active=True)
            .order_by("last_name", "first_name", "email")
        )
        self.fields["page"].queryset = ParticipationPage.objects.order_by("title")
        self.fields["page"].required = True


class AssignmentViewSet(ModelViewSet):
    model = OrganiserAssignment
    icon = "user"
    menu_label = _("Organisers' assignments")
    menu_name = "organiser-assignments"
    url_prefix = "participation/assignments"
    list_display = ["organiser", "page"]
    list_filter = ["page"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return AssignmentForm
