"""Feeds, sitemap, robots.txt, embeds, oEmbed and reader tips: the public site's machine-facing routes."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from claims.tips_api import ReaderTipApi
from factcheck import discovery, feeds, tips_views
from factcheck.external_api import ExternalFactCheckList
from factcheck.sitemaps import SITEMAPS

app_name = "discovery"

urlpatterns = [
    path("feeds/fact-checks.atom", feeds.FactCheckAtomFeed(), name="atom"),
    path("feeds/claimreview.json", feeds.claim_review_feed, name="claimreview-json"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("fact-checks/<slug:slug>/embed/", discovery.embed, name="embed"),
    path("oembed/", discovery.oembed, name="oembed"),
    path("tips/", tips_views.reader_tip, name="tips"),
    path("api/v1/tips/", ReaderTipApi.as_view(), name="api-tips"),
    path("api/v1/external-fact-checks/", ExternalFactCheckList.as_view(), name="api-external-fact-checks"),
]
