from django.contrib import admin
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.admin_actions import run_service_on_each
from reviews import selectors
from reviews.models import ACTIVE_STATES, Assignment, Review, ReviewerProfile, Source, SweepFailure, UnroutableAlert
from reviews.services import assignments, profiles, verdicts


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "languages", "capacity", "current_load", "active", "away_until"]
    list_filter = ["active", "topics"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    filter_horizontal = ["topics"]

    actions = ["deactivate"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(load=Count("user__assignments", filter=Q(user__assignments__state__in=ACTIVE_STATES)))
        )

    @admin.display(ordering="load", description="load")
    def current_load(self, profile):
        return profile.load

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            profiles.release_if_unavailable(obj, actor=request.user)

    @admin.action(description="Deactivate (their open offers go to other reviewers)")
    def deactivate(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda p: profiles.update_profile(profile_id=p.pk, actor=request.user, active=False),
        )


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Editors see every assignment; a reviewer sees their own queue, soonest due first."""

    list_display = ["claim", "reviewer", "state", "accept_by", "due_at", "overdue", "assigned_by"]
    list_filter = ["state", "due_at", "escalated_at"]
    list_select_related = ["claim", "reviewer", "assigned_by"]
    search_fields = ["claim__text", "reviewer__username"]
    readonly_fields = [f.name for f in Assignment._meta.fields]
    ordering = ["due_at"]
    actions = ["accept", "decline"]

    def get_queryset(self, request):
        return selectors.assignments_visible_to(request.user).select_related("assigned_by")

    @admin.display(boolean=True)
    def overdue(self, assignment):
        return assignment.state in ACTIVE_STATES and assignment.due_at <= timezone.now()

    def has_add_permission(self, request):
        return False

    @admin.action(description="Accept the selected offers")
    def accept(self, request, queryset):
        run_service_on_each(
            self, request, queryset, lambda a: assignments.accept_assignment(assignment_id=a.pk, reviewer=request.user)
        )

    @admin.action(description="Decline the selected offers")
    def decline(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda a: assignments.decline_assignment(
                assignment_id=a.pk, reviewer=request.user, reason="Declined in the admin"
            ),
        )


@admin.register(UnroutableAlert)
class UnroutableAlertAdmin(admin.ModelAdmin):
    list_display = ["claim", "queued_since", "sent_at"]
    list_select_related = ["claim"]
    readonly_fields = ["claim", "queued_since", "sent_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SweepFailure)
class SweepFailureAdmin(admin.ModelAdmin):
    """Rows the last sweep skipped; read-only: the next sweep that gets through them clears them."""

    list_display = ["step", "row_id", "claim", "failed_at", "error"]
    list_filter = ["step"]
    list_select_related = ["claim"]
    readonly_fields = ["step", "row_id", "claim", "error", "failed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "url", "accessed_at", "review"]
    list_select_related = ["review__claim"]
    search_fields = ["title", "publisher", "url"]
    readonly_fields = ["review", "url", "title", "publisher", "archive_url", "accessed_at", "position"]

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
        run_service_on_each(
            self,
            request,
            [r.claim for r in queryset],
            lambda c: verdicts.approve_claim(claim_id=c.pk, editor=request.user),
        )


# The claim's list and page, with the desk's actions, live in their own module; importing it registers them.
from reviews import admin_claims  # noqa: E402, F401
