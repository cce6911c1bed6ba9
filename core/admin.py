from django.contrib import admin

from core.admin_display import PeopleByName
from core.models import IdempotencyRecord, OutboxEvent


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(PeopleByName, admin.ModelAdmin):
    list_display = ["key", "user", "method", "path", "state", "response_status", "created_at"]
    list_filter = ["state", "method"]
    list_select_related = ["user"]
    search_fields = ["key", "path", "user__username"]
    readonly_fields = [f.name for f in IdempotencyRecord._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    """Read-only: rows are written with the change they report and handed on by the outbox relay."""

    list_display = ["name", "object_id", "state", "created_at", "handled_at"]
    list_filter = ["state", "name"]
    search_fields = ["name", "object_id"]
    readonly_fields = [f.name for f in OutboxEvent._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
