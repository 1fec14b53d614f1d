"""Account pages: registration, confirmation, sign-in, profile, data, deletion.

Every change of state is a POST with a CSRF token; GET only shows pages.
"""

from urllib.parse import urlencode

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from lms.accounts import next_url, selectors, services
from lms.accounts.forms import (
    CurrentPasswordForm,
    EmailAuthenticationForm,
    EmailForm,
    ProfileForm,
    RegistrationForm,
    hromada_groups,
    id_or_none,
)
from lms.accounts.tokens import InvalidConfirmationToken, user_for_confirmation_token
from lms.login_limits import axes_username
from lms.models import Oblast, User
from lms.ratelimit import client_address, hit
from lms.site_address import site_url

TEMPLATES = "lms/accounts/"


def _post_data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _narrowing(request: HttpRequest) -> bool:
    """The form came back only to list the chosen oblast's hromadas (the
    «Show the oblast's hromadas» button, for browsers without JavaScript)."""
    return request.method == "POST" and "show_hromadas" in request.POST


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    narrowing = _narrowing(request)
    form = RegistrationForm(data=_post_data(request), narrowing=narrowing)
    if request.method == "POST" and form.is_valid():
        # The first sign-in returns to the page registration started from,
        # in this browser (the session) or another (the link carries it).
        services.register_learner(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            profile=form.profile_data(),
            next_path=next_url.safe_next(request, request.GET.get("next")),
        )
        next_url.remember(request, request.GET.get("next"))
        # The same answer for a new and a registered address.
        return redirect("accounts:register_done")
    context = {
        "form": form,
        "privacy_notice_url": settings.PRIVACY_NOTICE_URL,
        "narrowing": narrowing,
        # A password is never sent back to the page; say so if one was typed.
        "password_not_kept": narrowing
        and any(request.POST.get(name) for name in ("password1", "password2")),
    }
    return render(request, TEMPLATES + "register.html", context)


@require_GET
def hromadas_json_view(request: HttpRequest) -> JsonResponse:
    """The current hromadas of ``?oblast=<id>`` grouped by district, as the
    hromada list shows them (one query; two for an oblast without any)."""
    oblast_id = id_or_none(request.GET.get("oblast"))
    groups = hromada_groups(oblast_id)
    if not groups and not Oblast.objects.filter(pk=oblast_id or 0).exists():
        return JsonResponse({"error": _("There is no such oblast.")}, status=404)
    response = JsonResponse(
        {
            "oblast": oblast_id,
            "groups": [
                {"district": district, "hromadas": choices}
                for district, choices in groups
            ],
        },
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    # Reference data: it changes when the codifier is imported.
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def register_done_view(request: HttpRequest) -> HttpResponse:
    context = {"resend_form": EmailForm()}
    return render(request, TEMPLATES + "register_done.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_email_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = user_for_confirmation_token(token)
    except InvalidConfirmationToken:
        context = {"state": "invalid", "resend_form": EmailForm()}
        return render(request, TEMPLATES + "confirm_email.html", context)
    if request.method == "POST":
        try:
            services.confirm_email(user=user)
        except services.EmailAlreadyConfirmed:
            pass
        else:
            messages.success(request, _("Your e-mail address is confirmed. Sign in."))
            after = next_url.recall(request) or next_url.safe_next(
                request, request.GET.get("next")
            )
            if after:
                next_url.remember(request, after)
            return redirect(_login_url(after))
    state = "ready" if user.awaits_email_confirmation else "used"
    return render(request, TEMPLATES + "confirm_email.html", {"state": state})


@require_http_methods(["GET", "POST"])
def resend_confirmation_view(request: HttpRequest) -> HttpResponse:
    form = EmailForm(data=_post_data(request))
    sent = False
    if request.method == "POST" and form.is_valid():
        services.resend_confirmation(email=form.cleaned_data["email"])
        sent = True
    context = {"resend_form": form, "sent": sent}
    return render(request, TEMPLATES + "resend_confirmation.html", context)


def _login_url(next_path: str = "") -> str:
    login = reverse("accounts:login")
    return f"{login}?{urlencode({'next': next_path})}" if next_path else login


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = TEMPLATES + "login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        kwargs.setdefault("resend_form", EmailForm())
        return super().get_context_data(**kwargs)

    def get_default_redirect_url(self):
        """Without ``next``, the first sign-in after registering in this
        browser returns to the page registration started from."""
        return next_url.recall(self.request) or super().get_default_redirect_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        next_url.forget(self.request)
        return response


class LogoutView(auth_views.LogoutView):
    next_page = "/"


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the reset link: once per address in five minutes, and a limited
    number of requests per client, with the same page whether or not the
    address has an account."""

    template_name = TEMPLATES + "password_reset_form.html"
    email_template_name = "lms/emails/password_reset.txt"
    subject_template_name = "lms/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_name": settings.WAGTAIL_SITE_NAME, "site_url": site_url()}

    def form_valid(self, form):
        wait = hit(
            group="password-reset",
            client=client_address(self.request),
            rate=settings.PASSWORD_RESETS_PER_CLIENT,
        )
        if wait:
            form.add_error(None, _too_many_requests(wait))
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        email = form.cleaned_data["email"]
        if not services.first_email_in_interval(kind="password-reset", email=email):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def _too_many_requests(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Too many requests came from your address. Try again in %(count)s minute.",
        "Too many requests came from your address. Try again in %(count)s minutes.",
        minutes,
    ) % {"count": minutes}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = TEMPLATES + "password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = TEMPLATES + "password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The new password opens the account at once, even if failed
        # attempts had locked it (the lockout page promises this).
        axes_reset(username=axes_username(None, {"username": self.user.email}))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = TEMPLATES + "password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = TEMPLATES + "password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = TEMPLATES + "password_change_done.html"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request: HttpRequest) -> HttpResponse:
    # A separate instance, so invalid input never reaches request.user.
    user = User.objects.get(pk=request.user.pk)
    narrowing = _narrowing(request)
    form = ProfileForm(data=_post_data(request), instance=user, narrowing=narrowing)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=user, changes=form.profile_data())
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    context = {"form": form, "narrowing": narrowing}
    return render(request, TEMPLATES + "profile.html", context)


@never_cache
@login_required
@require_GET
def data_view(request: HttpRequest) -> HttpResponse:
    context = {"sections": selectors.display_sections(request.user)}
    return render(request, TEMPLATES + "data.html", context)


@never_cache
@login_required
@require_GET
def data_json_view(request: HttpRequest) -> HttpResponse:
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    return HttpResponse(
        selectors.export_json(request.user),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account_view(request: HttpRequest) -> HttpResponse:
    form = CurrentPasswordForm(data=_post_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        services.anonymise_user(user=request.user)
        logout(request)
        return redirect("accounts:deleted")
    return render(request, TEMPLATES + "delete.html", {"form": form})


@require_GET
def deleted_view(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATES + "deleted.html")
