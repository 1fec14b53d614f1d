"""The site's own answer to a form sent without a valid CSRF token.

Django's default view renders the template with the request only, so the
page could not say why the form failed; this one tells the usual causes
apart (no cookie, no referrer) and keeps the Ukrainian site frame.
"""

from django.middleware.csrf import REASON_NO_CSRF_COOKIE, REASON_NO_REFERER
from django.template.response import TemplateResponse


def csrf_failure(request, reason: str = "", template_name: str = "403_csrf.html"):
    context = {
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        "no_referer": reason == REASON_NO_REFERER,
    }
    response = TemplateResponse(request, template_name, context, status=403)
    return response.render()
