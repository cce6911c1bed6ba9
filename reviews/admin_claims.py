"""The claim in the editors' desk: its list, its page and the desk's actions on it."""

from django.contrib import admin

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus
from core.admin_actions import run_service_on_each
from reviews import selectors

# The claim's page is the desk's: who may see a claim depends on its assignments.


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
            lambda c: claim_services.triage_claim(claim_id=c.pk, editor=request.user, decision="accept"),
        )

    @admin.action(description="Triage: reject as not checkable")
    def reject_claims(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda c: claim_services.triage_claim(
                claim_id=c.pk, editor=request.user, decision="reject", reason="Rejected in triage: not checkable."
            ),
        )
