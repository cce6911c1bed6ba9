"""What Django answers when a request fails outside a view's own handling: JSON under /api/, a plain page elsewhere.

DRF turns the errors raised inside an API view into JSON (core.api_errors), but an uncaught exception, a body too
large to read or a CSRF failure reaches these handlers, whose defaults are HTML pages; an API client parses every
answer as JSON. The page renders without the request's context, so it works when the failure was in that context.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

API_PREFIX = "/api/"
PAGES = {
    400: ("Bad request", "The request could not be read: it may be too large or malformed."),
    403: ("Forbidden", "You may not do this, or the form expired: go back, reload the page and try again."),
    404: ("Not found", "There is nothing at this address."),
    500: ("Server error", "Something went wrong on our side. It has been logged; please try again later."),
}


def _answer(request: HttpRequest, status: int) -> HttpResponse:
    title, detail = PAGES[status]
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail}, status=status)
    page = render_to_string("errors/page.html", {"title": title, "detail": detail})
    return HttpResponse(page, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _answer(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _answer(request, 403)
