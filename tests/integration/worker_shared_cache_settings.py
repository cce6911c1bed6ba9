"""Settings for a worker that shares the test process's cache: the test settings on the Redis cache that
TEST_SHARED_CACHE_PREFIX names (the tests otherwise keep a per-process memory cache)."""

import os

from config.settings.test import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "core.redis_cache.SharedClientRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": os.environ["TEST_SHARED_CACHE_PREFIX"],
        "TIMEOUT": 120,
    }
}
