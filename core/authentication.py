"""API authentication: DRF's tokens, with the member's desk roles read in the same query."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from core.roles import remember_roles, role_flags


class DeskTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as DRF reads it. Every API view checks the caller's roles, which took a second
    query on each request; here the token, its user and their roles come in one."""

    def authenticate_credentials(self, key: str):
        model = self.get_model()
        try:
            token = model.objects.select_related("user").annotate(**role_flags("user_id")).get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_roles(token.user, token)
        return token.user, token
