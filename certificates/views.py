from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from certificates import verification
from certificates.forms import NameConfirmationForm, VerifyForm
from certificates.issuing import (
    IssuingError,
    confirm_name,
    confirmed_name,
    issue_certificate,
)
from certificates.models import Certificate
from certificates.reviewing.access import record_access
from certificates.reviewing.models import ReviewAccess
from certificates.reviewing.scope import scope_of
from courses.dashboard import NextLink, after_completion
from courses.models import Enrolment
from lms.ratelimit import rate_limited

DASHBOARD_URL = "courses:dashboard"
COURSE_CERTIFICATE_URL = "certificates:course_certificate"


# Learner ---------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def confirm_name_view(request, course_id: int):
    """Shows how the name will print, lets the learner correct it, then issues."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course"),
        learner=request.user,
        course_id=course_id,
        completed_at__isnull=False,
    )
    existing = Certificate.objects.valid().filter(enrolment=enrolment).first()
    if existing is not None:
        return redirect(COURSE_CERTIFICATE_URL, course_id)
    form = NameConfirmationForm(
        request.POST or None, initial=_profile_initial(request.user)
    )
    if request.method == "POST" and form.is_valid():
        confirm_name(user=request.user, printed_name=form.printed_name)
        try:
            certificate = issue_certificate(enrolment=enrolment)
        except IssuingError as error:
            messages.warning(request, str(error))
        else:
            messages.success(
                request,
                _("Your certificate No. %(number)s is ready to download.")
                % {"number": certificate.number},
            )
            return redirect(COURSE_CERTIFICATE_URL, course_id)
        return redirect(DASHBOARD_URL)
    return render(
        request,
        "certificates/confirm_name.html",
        {
            "form": form,
            "course": enrolment.course,
            "profile_name": request.user.get_full_name(),
            "confirmed_name": confirmed_name(user=request.user),
            "after_completion": after_completion(request=request),
        },
    )


@never_cache
@login_required
@require_GET
def course_certificate_view(request, course_id: int):
    """Where «Отримати сертифікат» leads once the course is completed.

    With a valid certificate: the certificate to download, then what the
    learner may do next (pilots and events). Without one, the name is
    confirmed first, which issues it.
    """
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course"),
        learner=request.user,
        course_id=course_id,
        completed_at__isnull=False,
    )
    certificate = Certificate.objects.valid().filter(enrolment=enrolment).first()
    if certificate is None:
        return redirect("certificates:confirm_name", course_id)
    return render(
        request,
        "certificates/course_certificate.html",
        {
            "certificate": certificate,
            "course": enrolment.course,
            "enrolment": enrolment,
            "after_completion": after_completion(request=request),
        },
    )


def completion_link(*, request, course) -> NextLink:
    """«Отримати сертифікат» on the pages of a completed course (no queries)."""
    return NextLink(
        label=_("Get the certificate"),
        url=reverse(COURSE_CERTIFICATE_URL, args=[course.pk]),
    )


def _profile_initial(user) -> dict:
    return {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": user.patronymic,
    }


@login_required
@require_GET
def download_view(request, pk: int):
    """The stored PDF, to its holder or to staff allowed to see it.

    Staff (reviewers, administrators) need the permission and the certificate
    in their regional scope; each such download is written to the access log.
    """
    certificate = Certificate.objects.filter(pk=pk).first()
    if certificate is None:
        raise Http404
    own = certificate.learner_id == request.user.pk
    if not own:
        in_scope = (
            scope_of(request.user)
            .certificates(Certificate.objects.filter(pk=pk))
            .exists()
        )
        if not (
            request.user.has_perm("certificates.download_any_certificate") and in_scope
        ):
            raise Http404
        record_access(
            user=request.user,
            action=ReviewAccess.Action.CERTIFICATE_PDF,
            learner=certificate.learner,
            subject=certificate.number,
        )
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=certificate.download_filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Public verification ---------------------------------------------------------


def _refuse_html(request, retry_after: int):
    return render(
        request,
        "certificates/rate_limited.html",
        {"retry_after": retry_after},
        status=429,
    )


def _refuse_json(request, retry_after: int):
    return JsonResponse(
        {
            "schema_version": verification.SCHEMA_VERSION,
            "status": "rate_limited",
            "detail": _("Too many requests. Try again in %(seconds)s seconds.")
            % {"seconds": retry_after},
        },
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )


def _private(response):
    """Facts about a person: not cached, not indexed, not sent on as referrer."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


verify_limit = rate_limited(
    group="verify", rate_setting="VERIFY_RATE_LIMIT", refuse=_refuse_html
)
verify_json_limit = rate_limited(
    group="verify", rate_setting="VERIFY_RATE_LIMIT", refuse=_refuse_json
)


@require_GET
@verify_limit
def verify_view(request, code: str):
    certificate = verification.find_by_code(code)
    if certificate is None:
        return _private(_not_found(request, VerifyForm()))
    return _private(
        render(
            request,
            "certificates/verify.html",
            {"certificate": certificate, "successor": certificate.superseded_by},
        )
    )


@require_GET
@verify_json_limit
def verify_json_view(request, code: str):
    certificate = verification.find_by_code(code)
    if certificate is None:
        facts, status = verification.not_found_facts(), 404
    else:
        facts, status = verification.public_facts(certificate), 200
    return _private(
        JsonResponse(facts, status=status, json_dumps_params={"ensure_ascii": False})
    )


@require_GET
@verify_limit
def verify_form_view(request):
    """Number and code typed in; a mismatch answers like an unknown code."""
    form = VerifyForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return _private(
            render(request, "certificates/verify_form.html", {"form": form})
        )
    certificate = verification.find_by_number_and_code(
        number=form.cleaned_data["number"], code=form.cleaned_data["code"]
    )
    if certificate is None:
        return _private(_not_found(request, form))
    return redirect(certificate.get_absolute_url())


def _not_found(request, form):
    return render(
        request, "certificates/verify_not_found.html", {"form": form}, status=404
    )


@require_GET
def verification_schema_view(request):
    return JsonResponse(
        verification.VERIFICATION_SCHEMA, json_dumps_params={"ensure_ascii": False}
    )
