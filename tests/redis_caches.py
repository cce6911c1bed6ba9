"""The Redis cache production uses, for tests that need it: each test gets a key prefix of its own."""

import os
import uuid

import pytest


def use_redis_cache(settings, why: str) -> None:
    """Point the default cache at REDIS_URL (skip the test, saying `why`, without it).

    The prefix is never cleared: the database may be shared with the broker of tests running beside.
    """
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip(f"{why}: set REDIS_URL")
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.SharedClientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"tests-{uuid.uuid4().hex}",
            "TIMEOUT": 120,
        }
    }
