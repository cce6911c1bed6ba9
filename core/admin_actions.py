"""Helpers for the admin: bulk actions through services, public pages refreshed after edits, the sign-in address."""

import ipaddress

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest

from core.errors import DomainError
from core.freshness import invalidate_public_pages


def run_service_on_each(modeladmin, request, objects, action) -> None:
    """Apply a service to each selected object; a domain error on one is reported and the rest go on."""
    done = 0
    for obj in objects:
        try:
            action(obj)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} item(s) updated.", messages.SUCCESS)


class RefreshesPublicPages:
    """Mix into a ModelAdmin (before admin.ModelAdmin) of rows the public pages show: claimants, topics, reports,
    rating scales. Saving or deleting one in the admin, directly, in bulk or in an inline, renders every cached public
    page afresh once the change commits, instead of readers seeing the old text until the cache expires."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        invalidate_public_pages()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        invalidate_public_pages()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        invalidate_public_pages()

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        invalidate_public_pages()


def sign_in_address(request: HttpRequest) -> str | None:
    """The client address that admin sign-in lockouts count (django-axes, AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the entry the outermost of them appended to X-Forwarded-For,
    as the API's rate limits count it. Entries further left were written by the client and could be forged to dodge
    the lockout. Only a valid address is returned: axes stores it in an address column.
    """
    address = request.META.get("REMOTE_ADDR")
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if settings.TRUSTED_PROXY_COUNT and forwarded:
        address = forwarded[-min(settings.TRUSTED_PROXY_COUNT, len(forwarded))]
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or None
