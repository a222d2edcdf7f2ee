"""Response headers of the site: a Server header that names no software version, and the
Content-Security-Policy with the allowances only the Wagtail admin needs."""

from csp.middleware import CSPMiddleware
from django.urls import reverse

# What Wagtail 8's admin needs beyond the site's strict policy: its editors and choosers set
# inline styles (style attributes and a few <style> blocks) and the rich-text editor draws
# images from blob: URLs. Its scripts are all files from 'self'.
ADMIN_ALLOWANCES = {
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}


class ServerHeaderMiddleware:
    """``Server: Latih``: without it the development server and some proxies name their
    software and the Python version, which only helps an attacker pick an exploit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Server"] = "Latih"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with ``ADMIN_ALLOWANCES`` added under the Wagtail admin and the
    Django admin; every other page gets ``CONTENT_SECURITY_POLICY`` as it stands."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(admin_prefixes()):
            update = dict(parts.update or {})
            for directive, sources in ADMIN_ALLOWANCES.items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts


def admin_prefixes():
    """The URL prefixes of the Wagtail admin and the Django admin."""
    return (reverse("wagtailadmin_home"), reverse("admin:index"))
