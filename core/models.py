"""Rows that serve every app: the replayable answers of idempotent requests, and the outbox of events."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyRecord(models.Model):
    """The first answer to a creating POST sent with an Idempotency-Key, replayed to retries of the same request."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress"
        DONE = "done"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True)
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_record_per_user_key"),
        ]
        indexes = [models.Index(fields=["created_at"], name="claims_idem_created_8c73b8_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"


class OutboxEvent(models.Model):
    """An event for the outside world (a name from core.names.Event and the id of the row it is about), written in
    the same transaction as the change it reports; core/outbox.py explains its life."""

    class State(models.TextChoices):
        PENDING = "pending"
        HANDLED = "handled"

    name = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "object_id"], name="one_outbox_row_per_event")]
        indexes = [models.Index(fields=["state", "created_at"], name="core_outbox_state_created_idx")]

    def __str__(self) -> str:
        return f"{self.name}:{self.object_id} ({self.state})"
