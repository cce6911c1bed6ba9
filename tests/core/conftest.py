import runpy

import pytest
from django.core.cache import cache

from config.settings import base as base_settings
from tests.redis_caches import use_redis_cache


@pytest.fixture(params=["memory", "redis"])
def any_cache(request, settings):
    """Each test once on the per-process memory cache and once on the Redis cache production uses."""
    if request.param == "redis":
        use_redis_cache(settings, "these run against Redis too")
    else:
        cache.clear()
    return request.param


@pytest.fixture
def read_base_settings(monkeypatch):
    """config/settings/base.py read afresh, with these environment variables set on top of the test's."""

    def read(**env: str) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(base_settings.__file__)

    return read
