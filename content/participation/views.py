"""Applying to a pilot or event, and withdrawing the application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from content.participation.forms import ApplicationForm
from content.participation.models import Application, ParticipationPage
from content.participation.selectors import Window, eligibility_label
from content.participation.services import (
    ApplicationRefused,
    already_applied_message,
    course_record,
    refusal_reason,
    submit_application,
    withdraw_application,
)

CourseStatus = Application.CourseStatus
# The course record as the applicant reads it before sending it.
COURSE_STATUS_WORDS = {
    CourseStatus.NONE: gettext_lazy("you are not enrolled"),
    CourseStatus.ENROLLED: gettext_lazy("you are enrolled but have not started"),
    CourseStatus.LEARNING: gettext_lazy("you are learning"),
    CourseStatus.COMPLETED: gettext_lazy("you have completed the course"),
}


def _participation_page(request, page_id: int) -> ParticipationPage:
    """The live pilot or event the visitor may see, or 404."""
    page = (
        ParticipationPage.objects.live().filter(pk=page_id).select_related("course")
    ).first()
    if page is None:
        raise Http404
    for restriction in page.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404
    specific = page.specific
    specific.course = page.course  # read once above
    return specific


def _profile_initial(user) -> dict:
    return {"organisation": user.organisation, "position": user.position_title}


@login_required
@require_http_methods(["GET", "POST"])
def apply_view(request, page_id: int):
    page = _participation_page(request, page_id)
    user = request.user
    record = course_record(user=user, page=page)
    existing = Application.objects.active().filter(page=page, applicant=user).exists()
    refusal = None
    duplicate = existing
    if request.method == "POST":
        form = ApplicationForm(request.POST, page=page)
        if form.is_valid():
            try:
                submit_application(
                    user=user, page=page, data=form.cleaned_data, record=record
                )
            except ApplicationRefused as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
                duplicate = error.message == already_applied_message()
            else:
                messages.success(
                    request,
                    _(
                        "Your application to «%(title)s» is sent. The organisers "
                        "will let you know their decision by e-mail; you can "
                        "follow it on «My learning»."
                    )
                    % {"title": page.title},
                )
                return redirect(page.get_url(request) or reverse("courses:dashboard"))
        elif not form.non_field_errors():
            # Say at once what the fields' errors would only lead to.
            reason = already_applied_message() if existing else None
            reason = reason or refusal_reason(user=user, page=page, record=record)
            if reason:
                form.add_error(None, reason)
    else:
        form = ApplicationForm(page=page, initial=_profile_initial(user))
        if existing:
            refusal = already_applied_message()
        else:
            refusal = refusal_reason(user=user, page=page, record=record)
    return render(
        request,
        "content/participation/apply.html",
        {
            "page": page,
            "form": form,
            "refusal": refusal,
            "duplicate": duplicate,
            "record": record,
            "record_status": COURSE_STATUS_WORDS[record.status],
            "window": Window.of(page),
            "eligibility_label": eligibility_label(page),
            "page_url": page.get_url(request),
        },
    )


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return candidate
    return reverse("courses:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_view(request, pk: int):
    """Asks to confirm on GET; withdraws the visitor's own application on POST."""
    application = get_object_or_404(
        Application.objects.select_related("page"), pk=pk, applicant=request.user
    )
    next_url = _safe_next(request)
    if request.method == "POST":
        try:
            withdraw_application(application=application, user=request.user)
        except ApplicationRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Your application to «%(title)s» is withdrawn.")
                % {"title": application.page.title},
            )
        return redirect(next_url)
    return render(
        request,
        "content/participation/withdraw.html",
        {
            "application": application,
            "next_url": next_url,
            "page_url": application.page.get_url(request),
        },
    )
