"""Webhook endpoints, managed by editors through the API: each receiver URL passes the address policy of
core.netguard when it is registered or changed (and again before every attempt, in webhooks.attempt_delivery).

A receiver has one endpoint (WebhookEndpoint.url_key): registering its URL again, or changing another endpoint's URL
to it, is refused naming the endpoint that has it, and the database keeps one active endpoint per receiver when two
editors register it at once.
"""

from django.conf import settings
from django.db import IntegrityError, transaction

from claims.ingest.urls import url_key
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


def _refuse_same_receiver(endpoint: WebhookEndpoint, *, paused_too: bool, field: str) -> None:
    if (same := endpoint.same_receiver(paused_too=paused_too)) is not None:
        raise InvalidInput({field: [same.taken_message()]})


def _save(endpoint: WebhookEndpoint, *, field: str, update_fields: list[str] | None = None) -> None:
    """Save in a savepoint: when a parallel request gave the receiver an active endpoint first, the unique
    constraint refuses this one, and the caller gets the same 400 as if it had come second."""
    try:
        with transaction.atomic():
            endpoint.save(update_fields=update_fields)
    except IntegrityError:
        if (same := endpoint.same_receiver()) is None:
            raise
        raise InvalidInput({field: [same.taken_message()]}) from None


@transaction.atomic
def register_endpoint(
    *, editor, url: str, secret: str, events: list[str], description: str = "", active: bool = True
) -> WebhookEndpoint:
    require_editor(editor, "manage webhooks")
    endpoint = WebhookEndpoint(
        url=_checked_url(url),
        secret=secret,
        events=events,
        description=description,
        active=active,
        created_by=editor,
    )
    # Paused endpoints count too: resuming the one there is beats keeping two for one receiver.
    _refuse_same_receiver(endpoint, paused_too=True, field="url")
    _save(endpoint, field="url")
    return endpoint


@transaction.atomic
def update_endpoint(*, editor, endpoint_id: int, **changes) -> WebhookEndpoint:
    """Change any of url, secret, events, description, active; fields not given stay as they are."""
    require_editor(editor, "manage webhooks")
    if unknown := set(changes) - EDITABLE_FIELDS:
        raise TypeError(f"update_endpoint() cannot change {sorted(unknown)}")
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    if "url" in changes:
        _checked_url(changes["url"])
    key_before = endpoint.url_key
    for name, value in changes.items():
        setattr(endpoint, name, value)
    moved = url_key(endpoint.url) != key_before
    _check_receiver(endpoint, moved=moved, resumed=endpoint.active and "active" in changes)
    if changes:
        _save(endpoint, field="url" if moved else "active", update_fields=list(changes))
    return endpoint


def _check_receiver(endpoint: WebhookEndpoint, *, moved: bool, resumed: bool) -> None:
    """A URL moved to another receiver must be nobody's, paused endpoints included, as at registration; an endpoint
    made active must be its receiver's only active one."""
    if moved or resumed:
        _refuse_same_receiver(endpoint, paused_too=moved, field="url" if moved else "active")


@transaction.atomic
def delete_endpoint(*, editor, endpoint_id: int) -> None:
    require_editor(editor, "manage webhooks")
    WebhookEndpoint.objects.filter(pk=endpoint_id).delete()
