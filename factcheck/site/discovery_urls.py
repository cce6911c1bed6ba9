"""Feeds, sitemap, robots.txt, embeds, oEmbed and the reader tip form: the public site's machine-facing routes."""

from django.urls import path
from django.views.decorators.http import require_safe

from factcheck.site import discovery, feeds
from factcheck.site.cache import cached_page
from factcheck.site.sitemaps import sitemap_or_index, sitemap_section
from factcheck.site.tips import views as tips_views

app_name = "discovery"

urlpatterns = [
    # Feeds and sitemaps are cached like the pages and go stale with them (site/cache.py).
    path("feeds/fact-checks.atom", require_safe(cached_page(feeds.FactCheckAtomFeed())), name="atom"),
    path(
        "feeds/claimreview.json",
        require_safe(cached_page(feeds.claim_review_feed, params=feeds.JSON_FEED_PARAMS)),
        name="claimreview-json",
    ),
    path("sitemap.xml", sitemap_or_index, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("favicon.ico", discovery.favicon, name="favicon"),
    path("fact-checks/<slug:slug>/embed/", discovery.embed, name="embed"),
    path("oembed/", discovery.oembed, name="oembed"),
    path("tips/", tips_views.reader_tip, name="tips"),
]
