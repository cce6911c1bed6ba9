"""Token authentication that reads the member's desk roles in the same query.

Every authenticated API request asks for the caller's roles (the rate limit picks the role's rate, the selectors
what the caller may see). DRF's TokenAuthentication reads the token and its user; the roles then cost a second
query. Here one query joins the token, the user and their groups: one row per group.
"""

from django.contrib.auth import get_user_model
from django.db.models import F
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
