"""Sign-in limits beyond django-axes' per-account lockout.

Axes locks one account from one address after five failures. That leaves
the other attack open: one password tried on many accounts from one
address. Failed sign-ins are therefore also counted per client address,
across accounts, and past ``LOGIN_FAILURES_PER_CLIENT`` every sign-in from
that address is refused for the rest of the window, whatever the account,
with a Ukrainian page that points to the password reset. The limit is
generous: a whole office may sign in from one address.

Both login forms (the site's and the Wagtail admin's) authenticate through
``django.contrib.auth.authenticate``, so the check is an authentication
backend placed first, the way axes does it, and the refusal page comes from
``LoginLimitMiddleware``.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from lms.client_address import client_address
from lms.models import EmailUserManager
from lms.ratelimit import exhausted, hit

GROUP = "login-failures"
# What django-axes stores of a username fits its 255-character column.
AXES_USERNAME_LENGTH = 255


def _wait(request) -> int:
    return exhausted(
        group=GROUP,
        client=client_address(request),
        rate=settings.LOGIN_FAILURES_PER_CLIENT,
    )


class ClientLoginLimitBackend:
    """Refuses every sign-in from a client that has failed too often.

    It authenticates no one and has no ``get_user``, so sessions always name
    the backend that did (and test clients' ``force_login`` passes it by).
    """

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        wait = _wait(request)
        if wait:
            request.login_limited_for = wait
            # Stops authenticate() from asking the other backends.
            raise PermissionDenied
        return None


def count_failure(sender, credentials, request=None, **kwargs) -> None:
    """``user_login_failed``: one more failure for the client's address."""
    if request is None or getattr(request, "login_limited_for", 0):
        return
    hit(
        group=GROUP,
        client=client_address(request),
        rate=settings.LOGIN_FAILURES_PER_CLIENT,
    )


class LoginLimitMiddleware:
    """Answers a refused sign-in with the 429 page instead of the form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        wait = getattr(request, "login_limited_for", 0)
        if not wait:
            return response
        refusal = TemplateResponse(
            request,
            "lms/login_limited.html",
            {"minutes": max(1, -(-wait // 60))},
            status=429,
        )
        refusal["Retry-After"] = str(wait)
        # Middleware further out reads the content: render it here.
        return refusal.render()


def axes_username(request, credentials=None) -> str:
    """The account axes counts failures for: the e-mail as the site stores it.

    Lower case, like the login itself, so changing the letter case does not
    start a new count; cut to axes' column, so an overlong username is a
    failed sign-in like any other and never a database error.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field) is not None:
        value = credentials.get(field)
    else:
        value = request.POST.get(field, "") if request is not None else ""
    return EmailUserManager.normalize_email(str(value))[:AXES_USERNAME_LENGTH]
