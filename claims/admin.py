from django.contrib import admin
from django.db.models import Count

from claims.models import Claimant, ClaimEvent, Report, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "claim_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(ordering="claim_count")
    def claim_count(self, topic):
        return topic.claim_count


@admin.register(Claimant)
class ClaimantAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "claim_count"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(ordering="claim_count")
    def claim_count(self, claimant):
        return claimant.claim_count


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["headline", "outlet", "language", "submitted_by", "created_at"]
    list_filter = ["language", "created_at"]
    list_select_related = ["submitted_by"]
    search_fields = ["headline", "outlet", "url"]
    readonly_fields = ["submitted_by", "created_at"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(admin.ModelAdmin):
    """The audit trail: read-only, written only by claims.transitions."""

    list_display = ["claim", "from_status", "to_status", "actor", "at"]
    list_filter = ["to_status", "at"]
    list_select_related = ["claim", "actor"]
    search_fields = ["claim__text", "note", "actor__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
