"""Token authentication that reads the member's desk roles in the same query.

Every authenticated API request asks for the caller's roles (the rate limit picks the role's rate, the selectors
what the caller may see). DRF's TokenAuthentication reads the token and its user; the roles then cost a second
query. Here one query joins the token, the user and their groups: one row per group.

Also the answer to a sign-in that django-axes refused for too many failures, with the seconds it has left.
"""

import math

from axes.helpers import get_client_parameters, get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from core.roles import remember_roles


class TokenWithRolesAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple:
        rows = list(
            get_user_model()
            .objects.filter(auth_token__key=key)
            .annotate(group_name=F("groups__name"), token_created=F("auth_token__created"))
        )
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = rows[0]
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_roles(user, {row.group_name for row in rows})
        return user, Token(key=key, user=user, created=user.token_created)


def sign_in_lockout(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer to a sign-in refused for too many failures (AXES_LOCKOUT_CALLABLE): the cool-off message,
    429, and Retry-After with the seconds until the lockout ends."""
    answer = HttpResponse(settings.AXES_COOLOFF_MESSAGE, status=settings.AXES_HTTP_RESPONSE_CODE)
    answer["Retry-After"] = str(lockout_seconds_left(request, credentials))
    return answer


def lockout_seconds_left(request, credentials: dict | None = None) -> int:
    """Seconds until a locked-out sign-in is let through again, at least 1.

    The lockout holds while the failures counted for the account, or for the address, within the cool-off reach the
    limit; each attempt row (one per account, address and browser) stops counting a cool-off after its last failure.
    So it ends when enough of the oldest rows have aged out to bring every locked count under the limit.
    """
    cool_off = get_cool_off(request)
    if not cool_off:
        return 1
    now, limit, ends = timezone.now(), get_failure_limit(request, credentials), None
    username = get_client_username(request, credentials)
    address, agent = getattr(request, "axes_ip_address", None), getattr(request, "axes_user_agent", "")
    for filters in get_client_parameters(username, address, agent, request, credentials):
        rows = (
            AccessAttempt.objects.filter(**filters, attempt_time__gte=now - cool_off)
            .order_by("attempt_time")
            .values_list("attempt_time", "failures_since_start")
        )
        counted = [(at + cool_off, failures) for at, failures in rows]
        total = sum(failures for _, failures in counted)
        for released_at, failures in counted:
            if total < limit:
                break
            total -= failures
            ends = released_at if ends is None else max(ends, released_at)
    left = (ends - now).total_seconds() if ends else cool_off.total_seconds()
    return max(1, math.ceil(left))
