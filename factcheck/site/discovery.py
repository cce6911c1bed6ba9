"""robots.txt, the embeddable verdict card and its oEmbed endpoint: how other sites and crawlers find and show us."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from factcheck.record.models import FactCheck
from factcheck.record.selectors import public_fact_checks

EMBED_WIDTH, EMBED_HEIGHT = 500, 320
# The card has no script at all; it may sit in any page's iframe, but loads nothing except our own stylesheets (its
# layout and the rating colours, /ratings.css) and posts nowhere itself.
EMBED_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors *"
)


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page the site does not give an icon (the admin's); an empty answer
    keeps that from being a 404 in every console."""
    return HttpResponse(status=204)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /workspace/",
        "Allow: /",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('discovery:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@xframe_options_exempt
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    """A standalone card with the verdict, linking to the full page; retracted verdicts show their tombstone."""
    fact_check = get_object_or_404(public_fact_checks(), slug=slug)
    context = {"fact_check": fact_check, "claim": fact_check.claim, "version": fact_check.current_version}
    response = render(request, "factcheck/embed.html", context)
    response["Content-Security-Policy"] = EMBED_CSP
    return response


def _fact_check_for_url(url: str) -> FactCheck:
    """The fact-check a page URL on this site names, or Http404: only our own detail (or embed) pages qualify."""
    ours, theirs = urlsplit(settings.SITE_URL), urlsplit(url.strip())
    if (theirs.scheme, theirs.netloc.lower()) not in {("http", ours.netloc.lower()), ("https", ours.netloc.lower())}:
        raise Http404("Not a page of this site.")
    prefix = ours.path.rstrip("/")
    if not theirs.path.startswith(prefix + "/"):
        raise Http404("Not a page of this site.")
    try:
        match = resolve(theirs.path[len(prefix) :])
    except Resolver404:
        raise Http404("No such page.") from None
    if match.view_name not in ("factcheck:detail", "discovery:embed"):
        raise Http404("Not a fact-check page.")
    return get_object_or_404(public_fact_checks(), slug=match.kwargs["slug"])


def _within(raw: str | None, default: int) -> int | None:
    """The card's width or height under oEmbed's maxwidth or maxheight: our size, or the consumer's limit when it is
    smaller, as the spec requires of providers. None for a limit that is not a positive whole number of pixels."""
    digits = (raw or "").strip()
    if not digits:
        return default
    if not (digits.isascii() and digits.isdigit()) or not (digits := digits.lstrip("0")):
        return None
    # More digits than our size cannot be a smaller limit (and int() of a huge string would cost or raise).
    return default if len(digits) > len(str(default)) else min(default, int(digits))


@require_safe
def oembed(request: HttpRequest) -> JsonResponse:
    """oEmbed 1.0 (https://oembed.com): type "rich", an iframe of the embed card. JSON only (XML answers 501).

    The card fits any maxwidth and maxheight the consumer gives (it wraps, and scrolls in a short frame); a limit
    that is not a positive whole number answers 400, as a missing url does.
    """
    if request.GET.get("format", "json").lower() != "json":
        return JsonResponse({"detail": "Only format=json is supported."}, status=501)
    url = request.GET.get("url", "")
    if not url:
        return JsonResponse({"detail": "Give the page's address as ?url=."}, status=400)
    width = _within(request.GET.get("maxwidth"), EMBED_WIDTH)
    height = _within(request.GET.get("maxheight"), EMBED_HEIGHT)
    if width is None or height is None:
        return JsonResponse({"detail": "maxwidth and maxheight must be positive whole numbers."}, status=400)
    try:
        fact_check = _fact_check_for_url(url)
    except Http404:
        return JsonResponse({"detail": "No fact-check at that address."}, status=404)
    title = f"Fact-check: {fact_check.claim.text}"
    src = settings.SITE_URL + reverse("discovery:embed", kwargs={"slug": fact_check.slug})
    # format_html escapes the claim text inside the title attribute: the consumer pastes this HTML verbatim.
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" style="border:0;max-width:100%" loading="lazy" '
        'sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>',
        src,
        width,
        height,
        title[:200],
    )
    body = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": settings.FACTCHECK_PUBLISHER_NAME,
        "provider_url": settings.SITE_URL + "/",
        "author_name": settings.FACTCHECK_PUBLISHER_NAME,
        "author_url": settings.SITE_URL + "/",
        "html": str(html),
        "width": width,
        "height": height,
        "cache_age": 3600,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public data; lets a browser-side editor preview the card
    return response
