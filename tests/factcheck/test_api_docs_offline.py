"""The API documentation works without the internet: Swagger UI and ReDoc come from our own static files
(drf-spectacular-sidecar) under a Content-Security-Policy that runs no inline script."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders

from tests.browser import in_a_live_database, needs_chromium

LOOPBACK = {"127.0.0.1", "localhost"}


def script_sources(policy: str) -> str:
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if " " in part.strip())
    return directives["script-src"]


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_carry_a_policy_that_runs_only_our_own_script_files(client, db, url):
    answer = client.get(url)

    assert answer.status_code == 200
    policy = answer["Content-Security-Policy"]
    assert script_sources(policy) == "'self'"
    assert "'unsafe-inline'" not in script_sources(policy) and "'unsafe-eval'" not in policy
    html = answer.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "https://" not in html  # no CDN, no web fonts
    assert "<script>" not in html  # every script element has a src


def test_redocs_logo_from_its_makers_cdn_is_replaced_before_the_bundle_runs(client, db):
    """The bundle (drf-spectacular-sidecar's copy) names one address on another host that it loads, the logo; the
    page runs redoc_offline.js first, which answers every image of that host with a picture of its own."""
    html = client.get("/api/v1/redoc/").content.decode()
    bundle = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    script = finders.find("factcheck/redoc_offline.js")

    assert html.index("/static/factcheck/redoc_offline.js") < html.index("/redoc.standalone.js")
    loaded = set(re.findall(r'src:"(https?://[^"]+)"', Path(bundle).read_text(encoding="utf-8")))
    assert loaded == {"https://cdn.redoc.ly/redoc/logo-mini.svg"}
    assert "cdn\\.redoc\\.ly" in Path(script).read_text(encoding="utf-8")


def test_the_swagger_ui_start_up_script_is_a_file_of_its_own(client, db):
    script = client.get("/api/v1/docs/?script=")

    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def cut_off_from_other_hosts(page) -> list[str]:
    """Abort every request of `page` to a host other than loopback; returns the list the aborted URLs go to."""
    elsewhere = []

    def only_loopback(route):
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    return elsewhere


@needs_chromium
@in_a_live_database
def test_swagger_ui_renders_the_operations_with_every_other_host_unreachable(chromium, live_server):
    def offline(page):
        elsewhere = cut_off_from_other_hosts(page)
        assert page.goto(live_server.url + "/api/v1/docs/").status == 200
        page.wait_for_selector(".opblock", timeout=15_000)
        operations = page.locator(".opblock").count()
        title = page.locator(".info .title").text_content()
        return operations, title, elsewhere, page.problems

    operations, title, elsewhere, problems = chromium.run(offline)

    assert operations > 20
    assert "Factcheck Desk API" in title
    assert elsewhere == []
    assert problems == []


@needs_chromium
@in_a_live_database
def test_redoc_renders_the_operations_with_every_other_host_unreachable(chromium, live_server):
    def offline(page):
        elsewhere = cut_off_from_other_hosts(page)
        assert page.goto(live_server.url + "/api/v1/redoc/").status == 200
        page.wait_for_selector("[data-section-id^='operation/']", state="attached", timeout=20_000)
        operations = page.locator("[data-section-id^='operation/']").count()
        page.wait_for_timeout(500)  # the side menu's logo renders once the page has settled
        images = page.eval_on_selector_all("img", "images => images.map(i => i.getAttribute('src'))")
        return operations, page.locator("h1").first.text_content(), elsewhere, page.problems, images

    operations, title, elsewhere, problems, images = chromium.run(offline)

    assert operations > 20
    assert "Factcheck Desk API" in title
    assert elsewhere == []
    # ReDoc's bundle asks its makers' CDN for its side menu's logo and has no option to stop it; redoc_offline.js
    # answers it before the request is made, so the policy has nothing to block and the console nothing to report.
    assert not [src for src in images if "cdn.redoc.ly" in (src or "")]
    assert problems == []
