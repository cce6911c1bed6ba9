"""Webhook endpoints, managed by editors through the API: each receiver URL passes the address policy of
core.netguard when it is registered or changed (and again before every attempt, in webhooks.attempt_delivery)."""

from django.conf import settings
from django.db import transaction

from core import netguard
from core.errors import InvalidInput
from core.roles import require_editor
from factcheck.integrations.models import WebhookEndpoint

EDITABLE_FIELDS = frozenset({"url", "secret", "events", "description", "active"})


def _checked_url(url: str) -> str:
    """The address policy of core.netguard: http(s), a port from 1 to 65535, no credentials, a public host."""
    try:
        netguard.resolve(url, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS)
    except netguard.UnsafeTarget as exc:
        raise InvalidInput({"url": [str(exc)]}) from None
    return url


@transaction.atomic
def register_endpoint(
    *, editor, url: str, secret: str, events: list[str], description: str = "", active: bool = True
) -> WebhookEndpoint:
    require_editor(editor, "manage webhooks")
    return WebhookEndpoint.objects.create(
        url=_checked_url(url),
        secret=secret,
        events=events,
        description=description,
        active=active,
        created_by=editor,
    )


@transaction.atomic
def update_endpoint(*, editor, endpoint_id: int, **changes) -> WebhookEndpoint:
    """Change any of url, secret, events, description, active; fields not given stay as they are."""
    require_editor(editor, "manage webhooks")
    if unknown := set(changes) - EDITABLE_FIELDS:
        raise TypeError(f"update_endpoint() cannot change {sorted(unknown)}")
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    if "url" in changes:
        _checked_url(changes["url"])
    for field, value in changes.items():
        setattr(endpoint, field, value)
    if changes:
        endpoint.save(update_fields=list(changes))
    return endpoint


@transaction.atomic
def delete_endpoint(*, editor, endpoint_id: int) -> None:
    require_editor(editor, "manage webhooks")
    WebhookEndpoint.objects.filter(pk=endpoint_id).delete()
