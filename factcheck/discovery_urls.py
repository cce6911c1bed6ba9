"""Feeds, sitemap, robots.txt, embeds, oEmbed and reader tips: the public site's machine-facing routes."""

urlpatterns: list = []
