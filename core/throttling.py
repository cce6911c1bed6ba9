"""Rate limits: anonymous readers by address, members by their highest desk role (editors get the most room).

Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (env THROTTLE_ANON, THROTTLE_JOURNALIST, THROTTLE_REVIEWER,
THROTTLE_EDITOR). DRF's own classes copy that dict once at import, so a changed setting (tests, a reload) would be
ignored; these classes read it on every request instead. A 429 carries Retry-After (DRF's exception handler).

Every limit is a fixed window counted by an atomic increment in the shared cache (`take_slot`): DRF's own throttles
keep a list of every request's time, read and written back whole on each request, so parallel requests from one
caller overwrite each other's entries (and get past the limit) and the list grows with the rate.
"""

import logging
import math
import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.roles import Role, roles_of

log = logging.getLogger(__name__)

# Highest first: a member with several roles gets the rate of the most trusted one.
ROLE_SCOPES: tuple[Role, ...] = (Role.EDITOR, Role.REVIEWER, Role.JOURNALIST)
# Members without a desk role (e.g. a superuser set up by hand) get the smallest member rate.
FALLBACK_SCOPE = Role.JOURNALIST.value


def _rate_for(scope: str) -> str | None:
    try:
        return api_settings.DEFAULT_THROTTLE_RATES[scope]
    except KeyError:
        raise ImproperlyConfigured(f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no rate for {scope!r}.") from None


def take_slot(key: str, limit: int, window_s: int) -> int | None:
    """Count one request under `key`: None while at most `limit` were counted in the window that the first of them
    opened (`window_s` long), else the whole seconds until that window closes (Retry-After).

    A cache that is down lets the request through (logged): rate limits must not take the service down with it.
    """
    try:
        return _take_slot(f"rate:{key}", limit, window_s)
    except Exception:
        log.exception("rate limit %s not counted: the cache is unavailable", key)
        return None


def _take_slot(key: str, limit: int, window_s: int) -> int | None:
    count_in_window = getattr(cache, "count_in_window", None)  # Redis (core.redis_cache): one round trip
    if count_in_window is not None:
        count, left_s = count_in_window(key, window_s)
        return None if count <= limit else _retry_after(left_s, window_s)
    # Any other cache (in-process memory, Django's own Redis backend): its incr, add, touch and set.
    now = time.time()
    try:
        count = cache.incr(key)  # atomic on Redis and in-process memory alike
    except ValueError:  # no window open: this request opens one (or, if another did just now, counts in it)
        count = 1 if cache.add(key, 1, window_s) else cache.incr(key)
    if count == 1:
        # This request opened the window. The expiry is set again because Redis's INCR, on a counter that expired
        # between Django's existence check and the increment, starts a new one that would never expire.
        cache.touch(key, window_s)
        cache.set(f"{key}:ends", now + window_s, window_s)
    if count <= limit:
        return None
    ends = cache.get(f"{key}:ends") or now + window_s
    return _retry_after(ends - time.time(), window_s)


def _retry_after(left_s: float, window_s: int) -> int:
    # Whole seconds, at least 1, and clamped: a request that read the clock before the one that opened the window
    # would otherwise say window + 1.
    return min(window_s, max(1, math.ceil(left_s)))


class WindowThrottle(SimpleRateThrottle):
    """DRF's rate parsing and cache keys, counted by `take_slot`."""

    def allow_request(self, request: Request, view) -> bool:
        self._wait = None
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self._wait = take_slot(key, self.num_requests, self.duration)
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


def scope_for(user) -> str:
    roles = roles_of(user)
    return next((role.value for role in ROLE_SCOPES if role in roles), FALLBACK_SCOPE)


class AnonReaderThrottle(WindowThrottle):
    """Callers without credentials, counted per client address."""

    scope = "anon"

    def get_rate(self) -> str | None:
        return _rate_for(self.scope)

    def get_cache_key(self, request: Request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None  # members are counted by RoleRateThrottle
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class RoleRateThrottle(WindowThrottle):
    """Authenticated members, counted per user at the rate of their highest role."""

    scope = FALLBACK_SCOPE

    def __init__(self) -> None:
        # The rate depends on who calls, so it is chosen per request in allow_request, not here.
        pass

    def get_rate(self) -> str | None:
        return _rate_for(self.scope)

    def allow_request(self, request: Request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return True
        self.scope = scope_for(request.user)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view) -> str | None:
        # One counter per user whatever their role, so a promotion does not hand out a fresh allowance.
        return self.cache_format % {"scope": "member", "ident": request.user.pk}


class LoginThrottle(AnonReaderThrottle):
    """Token requests, counted per client address whoever they claim to be (THROTTLE_LOGIN)."""

    scope = "login"

    def get_cache_key(self, request: Request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
