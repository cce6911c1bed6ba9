"""sitemap.xml: every fact-check page (tombstones too) with its last change, the page of every claimant and topic
with a published fact-check, plus the site's standing pages.

Sitemap pages hold PAGE_URLS URLs each (the protocol allows 50,000; smaller pages keep a cold rendering short). While
every section fits in one page, /sitemap.xml is that one sitemap; past it, /sitemap.xml is a sitemap index that lists
each section's pages (/sitemap-fact-checks.xml?p=2 and so on). Every one of them is cached like the pages
(site/cache.py): a crawler's visit costs no SQL until a verdict is published, corrected or retracted.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import index, sitemap
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from core.slugs import slug_url
from factcheck.record.models import FactCheck, FactCheckVersion
from factcheck.record.selectors import claimants_with_fact_checks, public_fact_checks, topics_with_fact_checks
from factcheck.site.cache import cached_page

STATIC_PAGES = ["factcheck:list", "factcheck:topics", "factcheck:methodology", "factcheck:corrections"]
PAGE_URLS = 5_000
# Django's template, less what we never set (priority, alternates) and its {% spaceless %} pass over the whole page.
SITEMAP_TEMPLATE = "factcheck/sitemap.xml"


class CanonicalSitemap(Sitemap):
    """Absolute URLs on SITE_URL, whatever Host the crawler used (no django.contrib.sites here)."""

    # URLs per sitemap page; tests lower it to reach a second page.
    limit = PAGE_URLS

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class FactCheckSitemap(CanonicalSitemap):
    # Retracted verdicts stay listed: crawlers must revisit them to see the tombstone and drop the old rating.
    changefreq = "weekly"

    def items(self) -> QuerySet:
        # (slug, updated_at) rows: a model instance and a reverse() for each URL would cost most of a cold page.
        published = public_fact_checks().select_related(None).order_by("-published_at", "-id")
        return published.values_list("slug", "updated_at")

    def lastmod(self, row: tuple[str, datetime]) -> datetime:
        return row[1]

    def get_latest_lastmod(self) -> datetime | None:
        # The index asks for it; Django's default would load every fact-check to take the newest.
        return public_fact_checks().aggregate(last=Max("updated_at"))["last"]

    @cached_property
    def _detail_url(self) -> Callable[[str], str]:
        return slug_url("factcheck:detail")

    def location(self, row: tuple[str, datetime]) -> str:
        # FactCheck.get_absolute_url, with the route resolved once per sitemap rather than once per URL.
        return self._detail_url(row[0])


class SlugPageSitemap(CanonicalSitemap):
    """The pages that gather a claimant's or a topic's fact-checks: the same rows their pages answer for."""

    changefreq = "weekly"
    route = ""

    def rows(self) -> QuerySet:
        raise NotImplementedError

    def items(self) -> QuerySet:
        return self.rows().order_by("slug").values_list("slug", flat=True).distinct()

    @cached_property
    def _url(self) -> Callable[[str], str]:
        return slug_url(self.route)

    def location(self, slug: str) -> str:
        return self._url(slug)


class ClaimantSitemap(SlugPageSitemap):
    route = "factcheck:claimant"

    def rows(self) -> QuerySet:
        return claimants_with_fact_checks()


class TopicSitemap(SlugPageSitemap):
    route = "factcheck:topic"

    def rows(self) -> QuerySet:
        return topics_with_fact_checks()


class StaticSitemap(CanonicalSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return STATIC_PAGES

    def location(self, name: str) -> str:
        return reverse(name)

    def lastmod(self, name: str) -> datetime | None:
        if name == "factcheck:list":
            return FactCheck.objects.aggregate(last=Max("updated_at"))["last"]
        if name == "factcheck:corrections":
            corrected = FactCheckVersion.objects.filter(number__gt=1).aggregate(last=Max("created_at"))["last"]
            retracted = FactCheck.objects.aggregate(last=Max("retracted_at"))["last"]
            return max(filter(None, [corrected, retracted]), default=None)
        return None  # the methodology changes with a deploy, not with data


SITEMAPS = {
    "fact-checks": FactCheckSitemap,
    "claimants": ClaimantSitemap,
    "topics": TopicSitemap,
    "pages": StaticSitemap,
}


def _on_site_url(request: HttpRequest, location: str) -> str:
    """Django's index builds each <loc> on the Host the crawler used; ours name SITE_URL, as the sitemaps do."""
    return location.replace(f"{request.scheme}://{request.get_host()}", settings.SITE_URL, 1)


@require_safe
@cached_page(params=("p",))
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """/sitemap-<section>.xml?p=N: one page of one section."""
    return sitemap(request, sitemaps=SITEMAPS, section=section, template_name=SITEMAP_TEMPLATE)


@require_safe
@cached_page(params=("p",))
def sitemap_or_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the one sitemap while every section fits in a page, else the index of every section's pages."""
    if all(section().paginator.num_pages <= 1 for section in SITEMAPS.values()):
        return sitemap(request, sitemaps=SITEMAPS, template_name=SITEMAP_TEMPLATE)
    response = index(request, sitemaps=SITEMAPS, sitemap_url_name="discovery:sitemap-section")
    # A TemplateResponse renders later, so its items can still be pointed at SITE_URL.
    response.context_data["sitemaps"] = [
        replace(item, location=_on_site_url(request, item.location)) for item in response.context_data["sitemaps"]
    ]
    return response
