"""The bulk verification page, its admin URL and its item in the reviewers' menu."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from certificates.models import Certificate
from certificates.reviewing.bulk_verify.export import export_verification
from certificates.reviewing.bulk_verify.form import BulkVerifyForm
from certificates.reviewing.bulk_verify.inputs import rows_to_json
from certificates.reviewing.bulk_verify.lookup import verify_numbers
from certificates.reviewing.menu import add_to_review_menu
from certificates.reviewing.scope import scope_of

PERMISSION = "certificates.view_certificate"
URL_NAME = "review_bulk_verify"


class BulkVerifyView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Paste or upload numbers, see each one's status, export the table."""

    permission_policy = ModelPermissionPolicy(Certificate)
    permission_required = "view"
    form_class = BulkVerifyForm
    template_name = "certificates/reviewing/bulk_verify.html"
    page_title = _("Verify certificates in bulk")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            scope_is_limited=scope_of(self.request.user).is_limited, **kwargs
        )

    def form_valid(self, form):
        rows = form.cleaned_data["rows"]
        verification = verify_numbers(rows=rows, user=self.request.user)
        if form.cleaned_data.get("export"):
            return export_verification(
                verification=verification,
                user=self.request.user,
                file_format=form.cleaned_data["export"],
            )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                verification=verification,
                summary=verification.summary,
                checked=rows_to_json(rows),
            )
        )


@hooks.register("register_admin_urls")
def register_bulk_verify_url():
    return [path("reviews/verify/", BulkVerifyView.as_view(), name=URL_NAME)]


add_to_review_menu(
    _("Verify certificates"),
    URL_NAME,
    name="review-bulk-verify",
    icon="tick-inverse",
    order=300,
    permission=PERMISSION,
)
