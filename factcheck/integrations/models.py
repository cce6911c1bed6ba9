"""The outside world: webhook endpoints and their deliveries, and fact-checks imported from other publishers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from claims.ingest.urls import url_key
from core.names import Event


class WebhookEvent(models.TextChoices):
    CLAIM_STATUS_CHANGED = Event.CLAIM_STATUS_CHANGED
    FACTCHECK_PUBLISHED = Event.FACTCHECK_PUBLISHED
    FACTCHECK_CORRECTED = Event.FACTCHECK_CORRECTED
    FACTCHECK_RETRACTED = Event.FACTCHECK_RETRACTED


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=1000)
    # The receiver as claims.ingest.urls.url_key names a page: case, default port, "www.", trailing slash, tracking
    # parameters and http or https aside. Two active endpoints of one receiver would get every event twice.
    url_key = models.CharField(max_length=1000, editable=False, default="")
    secret = models.CharField(max_length=200, help_text="Shared secret for the HMAC-SHA256 signature.")
    events = models.JSONField(default=list, help_text="Event names this endpoint receives.")
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Paused endpoints may share a receiver: those that did before the rule were kept, paused (0013).
            models.UniqueConstraint(
                fields=["url_key"], condition=models.Q(active=True), name="one_active_webhook_per_receiver"
            )
        ]

    def __str__(self) -> str:
        return self.url

    def save(self, *args, **kwargs) -> None:
        self.url_key = url_key(self.url)
        fields = kwargs.get("update_fields")
        if fields is not None and "url" in fields:
            kwargs["update_fields"] = {*fields, "url_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # The admin pauses and resumes endpoints: resuming one must not give its receiver every event twice.
        if self.active and (same := self.same_receiver()) is not None:
            raise ValidationError({"active": [same.taken_message()]})

    def same_receiver(self, *, paused_too: bool = False) -> "WebhookEndpoint | None":
        """The oldest other endpoint for this receiver: an active one, or with `paused_too` any."""
        others = WebhookEndpoint.objects.filter(url_key=url_key(self.url)).exclude(pk=self.pk)
        if not paused_too:
            others = others.filter(active=True)
        return others.order_by("id").first()

    def taken_message(self) -> str:
        """Why another endpoint may not have this one's receiver, naming this one."""
        if self.active:
            return f"Webhook endpoint {self.pk} already receives events at this URL ({self.url}): change that one."
        return f"Webhook endpoint {self.pk} (paused) already has this URL ({self.url}): resume or change that one."


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True, help_text="The start of the receiver's last answer.")
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # While pending: when the webhook sweep sends it (again) if no worker has by then: the backoff after a failed
    # attempt, or the lease of an attempt handed to the broker. Empty once it succeeded or failed.
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "next_attempt_at"], name="factcheck_delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint.url} ({self.status})"


class ExternalFactCheck(models.Model):
    """A ClaimReview published by another organisation, imported so journalists can find it."""

    url = models.URLField(max_length=1000, unique=True, help_text="The review's own URL (or the page it came from).")
    source_page = models.URLField(max_length=1000, blank=True)
    claim_reviewed = models.TextField()
    claimant = models.CharField(max_length=300, blank=True)
    claim_date = models.DateField(null=True, blank=True)
    rating_label = models.CharField(max_length=200, blank=True)
    rating_value = models.FloatField(null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    publisher_name = models.CharField(max_length=300, blank=True)
    publisher_url = models.URLField(max_length=1000, blank=True)
    date_published = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    problems = models.JSONField(default=list, help_text="What was missing or wrong in the markup.")
    raw = models.JSONField(help_text="The ClaimReview object as read.")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date_published", "-id"]

    def __str__(self) -> str:
        return self.claim_reviewed[:80]
