from django.contrib import admin
from django.db.models import Count, Q

from claims.admin_actions import run_service_on_each
from reviews import verdicts
from reviews.models import ACTIVE_STATES, Assignment, Review, ReviewerProfile, Source


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "languages", "capacity", "current_load", "active", "away_until"]
    list_filter = ["active", "topics"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    filter_horizontal = ["topics"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            load=Count("user__assignments", filter=Q(user__assignments__state__in=ACTIVE_STATES))
        )

    @admin.display(ordering="load", description="load")
    def current_load(self, profile):
        return profile.load


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["claim", "reviewer", "state", "offered_at", "due_at", "assigned_by"]
    list_filter = ["state", "due_at"]
    list_select_related = ["claim", "reviewer", "assigned_by"]
    search_fields = ["claim__text", "reviewer__username"]
    readonly_fields = [f.name for f in Assignment._meta.fields]
    ordering = ["due_at"]

    def has_add_permission(self, request):
        return False


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    readonly_fields = ["url", "title", "publisher", "archive_url", "accessed_at", "position"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["claim", "reviewer", "rating", "updated_at", "submitted_at"]
    list_filter = ["rating", "submitted_at"]
    list_select_related = ["claim", "reviewer", "rating"]
    search_fields = ["claim__text", "summary", "reviewer__username"]
    readonly_fields = ["claim", "reviewer", "rating", "summary", "explanation", "updated_at", "submitted_at"]
    inlines = [SourceInline]
    actions = ["approve_reviews"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Approve and publish the verdict")
    def approve_reviews(self, request, queryset):
        run_service_on_each(self, request, [r.claim for r in queryset],
                  lambda c: verdicts.approve_claim(claim_id=c.pk, editor=request.user))


