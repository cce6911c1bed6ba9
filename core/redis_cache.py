"""Django's Redis cache, keeping one Redis client per connection pool instead of building one per operation.

Django's `RedisCacheClient.get_client()` constructs a new `redis.Redis` for every get or set, and that constructor
fills a table of about 170 response callbacks: on a page served from the cache it cost more than the round trip to
Redis itself. A `redis.Redis` is safe to share (each command borrows a connection from the pool), and Django already
gives each thread its own cache object, so keeping the client changes nothing but the cost.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}  # id of a pool (pools live as long as this object) → its client

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def count_in_window(self, key: str, window_s: int) -> tuple[int, float]:
        """Count one more under `key` in a fixed window that the first count opens: (the count so far, seconds
        until the window closes). One round trip, atomic: the window is opened, counted and read in one MULTI, so a
        counter can neither miss its expiry nor be counted after it expired."""
        redis_key = self.make_and_validate_key(key)
        client = self._cache.get_client(redis_key, write=True)
        with client.pipeline(transaction=True) as pipe:
            pipe.set(redis_key, 0, ex=window_s, nx=True)
            pipe.incr(redis_key)
            pipe.pttl(redis_key)
            _, count, left_ms = pipe.execute()
        if left_ms == -1:  # a counter without an expiry (written by other code) would hold its caller back forever
            client.expire(redis_key, window_s)
            left_ms = window_s * 1000
        return count, max(left_ms, 0) / 1000
