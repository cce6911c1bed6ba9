"""Helpers for the admin: bulk actions through services, public pages refreshed after edits, the sign-in address."""

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from core.errors import DomainError, InvalidInput
from core.freshness import invalidate_public_pages


@dataclass(frozen=True)
class Outcome:
    """How a bulk action went: how many objects the service changed, how many it refused, how many were already
    as the action would leave them."""

    done: int = 0
    refused: int = 0
    already: int = 0


class AlreadyDone(Exception):
    """An action's step raises it for an object already as the action would leave it (the same form sent from a
    second tab, or sent again): the editor hears it as information, not as an error."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Turns (object, what the service returned) into the success message for that object; it may hold links.
Describe = Callable[[Any, Any], str]


def refusal_text(error: DomainError) -> str:
    """The service's own words for a refusal, without the field structure an InvalidInput carries for the API."""
    if isinstance(error, InvalidInput):
        return " ".join(str(message) for messages_ in error.errors.values() for message in messages_)
    return str(error)


def object_link(obj: Model, site: str = "admin") -> str:
    """The object named as "<verbose name> «<object>»", linked to its admin page when it has one (escaped)."""
    label = format_html("{} «{}»", capfirst(obj._meta.verbose_name), obj)
    try:
        url = reverse(f"{site}:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return label
    return format_html('<a href="{}">{}</a>', url, label)


def _updated(obj: Model, result: Any) -> str:
    # A service that returns the object as it now is names its new state (an assignment "accepted", not "offered").
    return format_html("{} updated.", object_link(result if isinstance(result, type(obj)) else obj))


def run_service_on_each(
    modeladmin,
    request,
    objects,
    action,
    describe: Describe = _updated,
    explain: Callable[[DomainError], str] = refusal_text,
) -> Outcome:
    """Apply a service to each selected object and say what happened to each: `describe(obj, result)` for a change,
    `explain(error)` for a refusal (a domain error on one object does not stop the rest), and the step's own words
    for an object that was already done (AlreadyDone)."""
    site = modeladmin.admin_site.name
    done = refused = already = 0
    for obj in objects:
        try:
            result = action(obj)
        except AlreadyDone as exc:
            already += 1
            modeladmin.message_user(request, exc.message, messages.INFO)
            continue
        except DomainError as exc:
            refused += 1
            modeladmin.message_user(
                request, format_html("{}: {}", object_link(obj, site), explain(exc)), messages.ERROR
            )
            continue
        done += 1
        modeladmin.message_user(request, describe(obj, result), messages.SUCCESS)
    if done + refused + already > 1:
        level = messages.WARNING if refused else messages.INFO
        modeladmin.message_user(request, _summary(done, refused, already), level)
    return Outcome(done=done, refused=refused, already=already)


def _summary(done: int, refused: int, already: int) -> str:
    if already:
        return f"{done} done, {already} already done, {refused} refused."
    return f"{done} done, {refused} refused."


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
