"""Content-Security-Policy for the public site: scripts, styles and images only from our own origin.

No 'unsafe-inline': a script or style that slipped into a page through user text would not run. The one script
element our pages carry, `<script type="application/ld+json">`, is data, which CSP does not block.

A view that needs another policy (an embeddable card that other sites may frame) sets its own
Content-Security-Policy header, and this middleware leaves it alone. The admin and the API (Swagger UI, the
browsable API) are outside the public site and keep their own defaults.
"""

from collections.abc import Callable

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
