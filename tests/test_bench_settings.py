"""The web benchmark's ceiling views are routed by its own settings only, never by the URL map that serves readers."""

import importlib
import secrets
import sys

import pytest
from django.test import override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from config.bench_urls import CEILING_VIEWS


def _views(resolver: URLResolver) -> set:
    found = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found |= _views(pattern)
        elif isinstance(pattern, URLPattern):
            found.add(pattern.callback)
    return found


def _settings(module: str, monkeypatch) -> object:
    # Production refuses to load without its secrets; any valid values will do to read its URL map.
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(64))
    monkeypatch.setenv("ALLOWED_HOSTS", "factcheck.example.org")
    monkeypatch.setenv("SITE_URL", "https://factcheck.example.org")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    # Read afresh, base included, so the environment above counts; the modules in use come back after the test.
    for name in {"base", module}:
        monkeypatch.delitem(sys.modules, f"config.settings.{name}", raising=False)
    return importlib.import_module(f"config.settings.{module}")


@pytest.mark.parametrize("module", ["base", "dev", "production"])
def test_it_keeps_ceiling_views_out_of_the_served_url_map(module, monkeypatch):
    urlconf = _settings(module, monkeypatch).ROOT_URLCONF

    assert urlconf == "config.urls"
    assert not _views(get_resolver(urlconf)) & set(CEILING_VIEWS)
    with pytest.raises(Resolver404):
        resolve("/bench/ceiling/page", urlconf=urlconf)


def test_it_routes_ceiling_views_with_the_bench_settings(monkeypatch):
    bench = _settings("bench", monkeypatch)

    assert bench.DEBUG is False
    assert set(CEILING_VIEWS) <= _views(get_resolver(bench.ROOT_URLCONF))
    # The project's own routes are all there too.
    assert _views(get_resolver("config.urls")) <= _views(get_resolver(bench.ROOT_URLCONF))


@pytest.mark.django_db
def test_it_answers_a_ceiling_only_under_the_bench_url_map(client):
    assert client.get("/bench/ceiling/page?bytes=12").status_code == 404

    with override_settings(ROOT_URLCONF="config.bench_urls"):
        answer = client.get("/bench/ceiling/page?bytes=12")

    assert answer.status_code == 200
    assert len(answer.content) == 12
