"""The API documentation works without the internet: Swagger UI and ReDoc come from our own static files
(drf-spectacular-sidecar) under a Content-Security-Policy that runs no inline script."""

from urllib.parse import urlsplit

import pytest

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
        return operations, page.locator("h1").first.text_content(), elsewhere, page.problems

    operations, title, elsewhere, problems = chromium.run(offline)

    assert operations > 20
    assert "Factcheck Desk API" in title
    assert elsewhere == []
    # ReDoc's bundle fetches its own footer logo from its makers' CDN and has no option to stop it; the policy blocks
    # that request before it leaves, which the console reports. Nothing else may go wrong.
    blocked_logo = [p for p in problems if "cdn.redoc.ly/redoc/logo-mini.svg" in p and "Content Security Policy" in p]
    assert len(blocked_logo) <= 1
    assert [p for p in problems if p not in blocked_logo] == []
