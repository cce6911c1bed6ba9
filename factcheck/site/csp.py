"""Content-Security-Policy for the public site: scripts, styles and images only from our own origin.

No 'unsafe-inline': a script or style that slipped into a page through user text would not run. The one script
element our pages carry, `<script type="application/ld+json">`, is data, which CSP does not block.

A view that needs another policy (an embeddable card that other sites may frame) sets its own
Content-Security-Policy header, and this middleware leaves it alone. The admin and the API are outside the public
site and keep their own defaults, except the API's documentation pages, which `with_policy` gives the policies below.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADER = "Content-Security-Policy"
OUTSIDE_THE_PUBLIC_SITE = ("/admin/", "/api/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response and not request.path.startswith(OUTSIDE_THE_PUBLIC_SITE):
            response[HEADER] = POLICY
        return response


# Swagger UI: its bundle, its init script (served as a file by SpectacularSwaggerSplitView, not inline) and its
# stylesheet come from our static files (drf-spectacular-sidecar); it fetches the schema from us and shows data: icons.
SWAGGER_UI_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
# ReDoc styles itself by inserting <style> elements at run time (styled-components), so styles need
# 'unsafe-inline' there; scripts never do, and its search index runs in a worker it builds from a blob: URL.
REDOC_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src blob:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


def with_policy(policy: str) -> Callable:
    """Wrap a view so its answers carry `policy` (for pages outside the public site, which the middleware skips)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response[HEADER] = policy
            return response

        return serve

    return decorate
