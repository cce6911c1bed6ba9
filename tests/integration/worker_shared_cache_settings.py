"""Settings for a worker that shares the test process's cache: the test settings on the Redis cache that
TEST_SHARED_CACHE_PREFIX names (the tests otherwise keep a per-process memory cache)."""

import os

from config.settings.test import *  # noqa: F403
from tests.redis_caches import redis_caches

CACHES = redis_caches(os.environ["REDIS_URL"], os.environ["TEST_SHARED_CACHE_PREFIX"])
