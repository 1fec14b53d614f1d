from django.conf import settings


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
