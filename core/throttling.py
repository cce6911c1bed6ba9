"""Rate limits: anonymous readers by address, members by their highest desk role (editors get the most room).

Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (env THROTTLE_ANON, THROTTLE_JOURNALIST, THROTTLE_REVIEWER,
THROTTLE_EDITOR). DRF's own classes copy that dict once at import, so a changed setting (tests, a reload) would be
ignored; these classes read it on every request instead. A 429 carries Retry-After (DRF's exception handler).
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.roles import Role, roles_of

# Highest first: a member with several roles gets the rate of the most trusted one.
ROLE_SCOPES: tuple[Role, ...] = (Role.EDITOR, Role.REVIEWER, Role.JOURNALIST)
# Members without a desk role (e.g. a superuser set up by hand) get the smallest member rate.
FALLBACK_SCOPE = Role.JOURNALIST.value


def _rate_for(scope: str) -> str | None:
    try:
        return api_settings.DEFAULT_THROTTLE_RATES[scope]
    except KeyError:
        raise ImproperlyConfigured(f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no rate for {scope!r}.") from None


def scope_for(user) -> str:
    roles = roles_of(user)
    return next((role.value for role in ROLE_SCOPES if role in roles), FALLBACK_SCOPE)


class AnonReaderThrottle(SimpleRateThrottle):
    """Callers without credentials, counted per client address."""

    scope = "anon"

    def get_rate(self) -> str | None:
        return _rate_for(self.scope)

    def get_cache_key(self, request: Request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None  # members are counted by RoleRateThrottle
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class RoleRateThrottle(SimpleRateThrottle):
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
