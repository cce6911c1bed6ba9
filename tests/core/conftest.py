import pytest
from django.core.cache import cache

from tests.redis_caches import use_redis_cache


@pytest.fixture(params=["memory", "redis"])
def any_cache(request, settings):
    """Each test once on the per-process memory cache and once on the Redis cache production uses."""
    if request.param == "redis":
        use_redis_cache(settings, "these run against Redis too")
    else:
        cache.clear()
    return request.param
