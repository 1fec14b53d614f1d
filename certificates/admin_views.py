"""Views inside the Wagtail admin: revoke, re-issue, bulk issue, sample PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from certificates.bulk import pending_enrolments, start_bulk_issue
from certificates.document import sample_certificate_data
from certificates.forms import BulkIssueForm, ReissueForm, RevokeForm
from certificates.issuing import (
    IssuingError,
    image_png_bytes,
    reissue_certificate,
    revoke_certificate,
)
from certificates.models import BulkIssueJob, Certificate, CertificateDesign
from certificates.pdf import build_certificate_pdf
from courses.models import Enrolment

REGISTER_INDEX = "certificate_register:index"
REGISTER_INSPECT = "certificate_register:inspect"


class PermissionRequiredMixin:
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# Revoke and re-issue ---------------------------------------------------------


class CertificateActionView(
    PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView
):
    """A form about one valid certificate; subclasses say what it does."""

    header_icon = "doc-full"
    template_name = "certificates/admin/certificate_action.html"
    submit_label = ""
    intro = ""

    @cached_property
    def certificate(self) -> Certificate:
        return get_object_or_404(Certificate, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.certificate.number

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(REGISTER_INDEX), "label": _("Certificate register")},
            {
                "url": reverse(REGISTER_INSPECT, args=[self.certificate.pk]),
                "label": self.certificate.number,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certificate=self.certificate,
            submit_label=self.submit_label,
            intro=self.intro,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            message = self.act(form.cleaned_data)
        except IssuingError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(REGISTER_INSPECT, self.certificate.pk)

    def act(self, data) -> str:
        raise NotImplementedError


class RevokeView(CertificateActionView):
    permission = "certificates.revoke_certificate"
    form_class = RevokeForm
    page_title = gettext_lazy("Revoke certificate")
    submit_label = gettext_lazy("Revoke")
    intro = gettext_lazy(
        "A revoked certificate stays in the register, and its verification "
        "page says it is revoked. This cannot be undone."
    )

    def act(self, data) -> str:
        revoke_certificate(
            certificate=self.certificate, by=self.request.user, reason=data["reason"]
        )
        return _("Certificate %(number)s is revoked.") % {
            "number": self.certificate.number
        }


class ReissueView(CertificateActionView):
    permission = "certificates.reissue_certificate"
    form_class = ReissueForm
    page_title = gettext_lazy("Re-issue certificate")
    submit_label = gettext_lazy("Re-issue with a new number")
    intro = gettext_lazy(
        "A new certificate with a new number is issued; this one is marked "
        "superseded and its verification page links to the new one."
    )

    def get_initial(self):
        return {"holder_name": self.certificate.holder_name}

    def act(self, data) -> str:
        new = reissue_certificate(
            certificate=self.certificate,
            by=self.request.user,
            holder_name=data["holder_name"],
        )
        return _("Certificate %(new)s is issued in place of %(old)s.") % {
            "new": new.number,
            "old": self.certificate.number,
        }


# Bulk issue ------------------------------------------------------------------


class BulkIssueView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission = "certificates.issue_certificates_in_bulk"
    form_class = BulkIssueForm
    template_name = "certificates/admin/bulk_issue.html"
    page_title = gettext_lazy("Issue certificates in bulk")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pending=pending_enrolments().count(),
            jobs=BulkIssueJob.objects.select_related("created_by", "course")[:10],
            **kwargs,
        )

    def form_valid(self, form):
        job = start_bulk_issue(
            by=self.request.user,
            course=form.cleaned_data["course"],
            use_profile_names=form.cleaned_data["use_profile_names"],
        )
        return redirect("certificate_bulk_issue:job", job.pk)


class BulkJobView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission = "certificates.issue_certificates_in_bulk"
    template_name = "certificates/admin/bulk_job.html"
    page_title = gettext_lazy("Bulk issue")
    header_icon = "doc-full"
    shown_rows = 200

    @cached_property
    def job(self) -> BulkIssueJob:
        return get_object_or_404(
            BulkIssueJob.objects.select_related("created_by", "course"),
            pk=self.kwargs["pk"],
        )

    def get_page_subtitle(self):
        return f"#{self.job.pk}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("certificate_bulk_issue:index"),
                "label": _("Issue certificates in bulk"),
            },
            {"url": "", "label": self.get_header_title()},
        ]

    def get_context_data(self, **kwargs):
        waiting_ids = self.job.waiting_enrolments[: self.shown_rows]
        failure_ids = [item["enrolment"] for item in self.job.failures]
        enrolments = Enrolment.objects.select_related("learner", "course").in_bulk(
            [*waiting_ids, *failure_ids[: self.shown_rows]]
        )
        return super().get_context_data(
            job=self.job,
            waiting=[enrolments[pk] for pk in waiting_ids if pk in enrolments],
            failures=[
                (enrolments.get(item["enrolment"]), item["error"])
                for item in self.job.failures[: self.shown_rows]
            ],
            shown_rows=self.shown_rows,
            **kwargs,
        )


# Design preview --------------------------------------------------------------


def design_sample_pdf_view(request, pk: int):
    """The PDF a certificate would be with this design's latest (draft) wording."""
    if not request.user.has_perm("certificates.change_certificatedesign"):
        raise PermissionDenied
    design = get_object_or_404(CertificateDesign, pk=pk)
    return sample_pdf_response(design.get_latest_revision_as_object())


def sample_pdf_response(design: CertificateDesign) -> HttpResponse:
    """The sample certificate of ``design`` as given (a revision's version, too):
    the sample PDF button, the editor's preview panel and a moderator's review
    of a submitted version all show it."""
    content = build_certificate_pdf(
        sample_certificate_data(
            heading=design.heading,
            statement=design.statement,
            completion_text=design.completion_text,
            signer_name=design.signer_name,
            signer_position=design.signer_position,
            logo=_sample_image(design.logo),
            signature_image=_sample_image(design.signature_image),
        )
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="certificate-sample.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _sample_image(image) -> bytes | None:
    return None if image is None else image_png_bytes(image)
