"""Admin for webhooks: look at endpoints and their delivery log, pause an endpoint, send failed deliveries again.

Endpoints are registered through the API only, where the receiver URL gets its SSRF check; the admin does not repeat
that rule, so it cannot add endpoints or change their URL or secret.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from factcheck import webhooks
from factcheck.models import WebhookDelivery, WebhookEndpoint

Status = WebhookDelivery.Status


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "event_list",
        "active",
        "failed_deliveries",
        "pending_deliveries",
        "created_by",
        "created_at",
    ]
    list_select_related = ["created_by"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    fields = ["url", "events", "active", "description", "created_by", "created_at", "delivery_log"]
    readonly_fields = ["url", "events", "created_by", "created_at", "delivery_log"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                failed=Count("deliveries", filter=Q(deliveries__status=Status.FAILED)),
                pending=Count("deliveries", filter=Q(deliveries__status=Status.PENDING)),
            )
        )

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="events")
    def event_list(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.events)

    @admin.display(description="failed", ordering="failed")
    def failed_deliveries(self, endpoint: WebhookEndpoint) -> int:
        return endpoint.failed

    @admin.display(description="pending", ordering="pending")
    def pending_deliveries(self, endpoint: WebhookEndpoint) -> int:
        return endpoint.pending

    @admin.display(description="deliveries")
    def delivery_log(self, endpoint: WebhookEndpoint) -> str:
        url = reverse("admin:factcheck_webhookdelivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
        return format_html('<a href="{}">Delivery log</a>', url)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "endpoint", "status", "attempts", "last_status_code", "created_at", "delivered_at"]
    list_select_related = ["endpoint"]
    list_filter = ["status", "event", "endpoint"]
    search_fields = ["endpoint__url"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_response",
        "last_error",
        "created_at",
        "delivered_at",
        "payload",
    ]
    fields = readonly_fields
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the log is a record of what happened; "send again" is the only thing to do with it

    def has_resend_permission(self, request) -> bool:
        # The model's change permission guards sending again, although the rows themselves are read-only.
        return request.user.has_perm("factcheck.change_webhookdelivery")

    @admin.action(description="Send again (a fresh set of attempts)", permissions=["resend"])
    def send_again(self, request, queryset) -> None:
        count = webhooks.resend(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} deliveries queued again; pending ones were left alone.", messages.SUCCESS)
