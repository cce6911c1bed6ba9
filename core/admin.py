from django.contrib import admin

from core.models import IdempotencyRecord


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "method", "path", "state", "response_status", "created_at"]
    list_filter = ["state", "method"]
    list_select_related = ["user"]
    search_fields = ["key", "path", "user__username"]
    readonly_fields = [f.name for f in IdempotencyRecord._meta.fields]

    def has_add_permission(self, request):
        return False
