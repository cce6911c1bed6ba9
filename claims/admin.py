from django.contrib import admin
from django.db.models import Count

from claims import selectors, services
from claims.admin_actions import run_service_on_each
from claims.models import Claim, Claimant, ClaimEvent, ClaimStatus, IdempotencyRecord, Report, Topic


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


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "method", "path", "state", "response_status", "created_at"]
    list_filter = ["state", "method"]
    list_select_related = ["user"]
    search_fields = ["key", "path", "user__username"]
    readonly_fields = [f.name for f in IdempotencyRecord._meta.fields]

    def has_add_permission(self, request):
        return False


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["short_text", "status", "priority", "language", "origin", "claimant", "submitted_by", "created_at"]
    list_filter = ["status", "priority", "origin", "language", "topics"]
    list_select_related = ["claimant", "submitted_by"]
    search_fields = ["text", "quote", "claimant__name"]
    autocomplete_fields = ["claimant", "report"]
    # Status moves only through the desk's services, never by editing the field.
    readonly_fields = ["status", "submitted_by", "created_at", "status_changed_at", "checkworthiness"]
    inlines = [ClaimEventInline]
    actions = ["accept_claims", "reject_claims"]

    def get_queryset(self, request):
        return selectors.claims_visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        # Like PATCH /api/v1/claims/{id}/, the claim's words are fixed once it leaves `submitted`.
        if obj is not None and obj.status != ClaimStatus.SUBMITTED:
            return [f.name for f in Claim._meta.fields] + ["topics"]
        return self.readonly_fields

    @admin.display(description="text")
    def short_text(self, claim):
        return claim.text[:90]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Triage: accept into the queue")
    def accept_claims(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda c: services.triage_claim(claim_id=c.pk, editor=request.user, decision="accept"),
        )

    @admin.action(description="Triage: reject as not checkable")
    def reject_claims(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda c: services.triage_claim(
                claim_id=c.pk, editor=request.user, decision="reject", reason="Rejected in triage: not checkable."
            ),
        )
