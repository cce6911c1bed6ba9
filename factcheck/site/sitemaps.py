"""sitemap.xml: every fact-check page (tombstones too) with its last change, plus the site's standing pages.

A sitemap holds at most 50,000 URLs. While every section fits in one, /sitemap.xml is that one sitemap; past it,
/sitemap.xml becomes a sitemap index that lists each section's pages (/sitemap-fact-checks.xml?p=2 and so on).
"""

from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import index, sitemap
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from factcheck.record.models import FactCheck, FactCheckVersion
from factcheck.record.selectors import public_fact_checks

STATIC_PAGES = ["factcheck:list", "factcheck:methodology", "factcheck:corrections"]


class CanonicalSitemap(Sitemap):
    """Absolute URLs on SITE_URL, whatever Host the crawler used (no django.contrib.sites here)."""

    # URLs per sitemap page, the most the sitemap protocol allows; tests lower it to reach a second page.
    limit = 50_000

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class FactCheckSitemap(CanonicalSitemap):
    # Retracted verdicts stay listed: crawlers must revisit them to see the tombstone and drop the old rating.
    changefreq = "weekly"

    def items(self) -> QuerySet[FactCheck]:
        # Only what a <url> needs: the selector's joins would load every claim and version for nothing.
        return public_fact_checks().select_related(None).only("slug", "updated_at").order_by("-published_at", "-id")

    def lastmod(self, fact_check: FactCheck) -> datetime:
        return fact_check.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        # The index asks for it; Django's default would load every fact-check to take the newest.
        return public_fact_checks().aggregate(last=Max("updated_at"))["last"]

    def location(self, fact_check: FactCheck) -> str:
        return fact_check.get_absolute_url()


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


SITEMAPS = {"fact-checks": FactCheckSitemap, "pages": StaticSitemap}


def _on_site_url(request: HttpRequest, location: str) -> str:
    """Django's index builds each <loc> on the Host the crawler used; ours name SITE_URL, as the sitemaps do."""
    return location.replace(f"{request.scheme}://{request.get_host()}", settings.SITE_URL, 1)


def sitemap_or_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the one sitemap while every section fits in a page, else the index of every section's pages."""
    if all(section().paginator.num_pages <= 1 for section in SITEMAPS.values()):
        return sitemap(request, sitemaps=SITEMAPS)
    response = index(request, sitemaps=SITEMAPS, sitemap_url_name="discovery:sitemap-section")
    # A TemplateResponse renders later, so its items can still be pointed at SITE_URL.
    response.context_data["sitemaps"] = [
        replace(item, location=_on_site_url(request, item.location)) for item in response.context_data["sitemaps"]
    ]
    return response
