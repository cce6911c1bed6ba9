"""The Redis cache production uses, for tests that need it: each test gets a key prefix of its own."""

import os
import uuid

import pytest


def redis_caches(url: str, prefix: str) -> dict:
    """CACHES for the Redis cache production uses, under a key prefix of the test's own; its keys expire in 2 min."""
    return {
        "default": {
            "BACKEND": "core.redis_cache.SharedClientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "TIMEOUT": 120,
        }
    }


def use_redis_cache(settings, why: str) -> str:
    """Point the default cache at REDIS_URL (skip the test, saying `why`, without it); returns the key prefix, for a
    worker process that must share the cache.

    The prefix is never cleared: the database may be shared with the broker of tests running beside (a clear would
    flush it).
    """
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip(f"{why}: set REDIS_URL")
    prefix = f"tests-{uuid.uuid4().hex}"
    settings.CACHES = redis_caches(url, prefix)
    return prefix
