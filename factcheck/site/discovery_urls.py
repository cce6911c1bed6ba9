"""Feeds, sitemap, robots.txt, embeds, oEmbed and the reader tip form: the public site's machine-facing routes."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from factcheck.site import discovery, feeds
from factcheck.site.sitemaps import SITEMAPS, sitemap_or_index
from factcheck.site.tips import views as tips_views

app_name = "discovery"

urlpatterns = [
    path("feeds/fact-checks.atom", feeds.FactCheckAtomFeed(), name="atom"),
    path("feeds/claimreview.json", feeds.claim_review_feed, name="claimreview-json"),
    path("sitemap.xml", sitemap_or_index, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("favicon.ico", discovery.favicon, name="favicon"),
    path("fact-checks/<slug:slug>/embed/", discovery.embed, name="embed"),
    path("oembed/", discovery.oembed, name="oembed"),
    path("tips/", tips_views.reader_tip, name="tips"),
]
