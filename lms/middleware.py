from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


class ContentSecurityPolicyMiddleware:
    """Sets the strict public policy, or the admin's relaxed one under its prefixes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            is_admin = request.path.startswith(settings.CSP_ADMIN_PREFIXES)
            response["Content-Security-Policy"] = (
                settings.CSP_ADMIN if is_admin else settings.CSP_PUBLIC
            )
        return response


class PrivatePagesMiddleware:
    """Pages served to a signed-in person show that person's data: no browser
    or proxy may keep them (``Cache-Control: private, no-store``), so Back
    after signing out on a shared computer shows nothing of theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ("Cookie",))
        return response
