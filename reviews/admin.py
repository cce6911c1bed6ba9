from datetime import datetime

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html

from core.admin_actions import run_service_on_each
from core.admin_display import DeskListStyle, badge, truncated
from core.admin_edits import RefusesStaleEdits
from core.roles import is_editor
from reviews import admin_claim_actions, selectors
from reviews.models import (
    ACTIVE_STATES,
    Assignment,
    AssignmentState,
    Review,
    ReviewerProfile,
    Source,
    SweepFailure,
    UnroutableAlert,
)
from reviews.services import profiles


class DeskLoginForm(AdminAuthenticationForm):
    """Journalists and reviewers who reach the desk's sign-in are told where their own work is, rather than that
    their (correct) password is wrong."""

    def confirm_login_allowed(self, user: AbstractBaseUser) -> None:
        if user.is_active and not user.is_staff:
            raise ValidationError(
                format_html(
                    "The editors' desk is for editors. Journalists and reviewers work in the "
                    '<a href="{}">workspace</a>: sign in there with the same username and password.',
                    reverse("workspace:home"),
                ),
                code="not_on_desk",
            )
        super().confirm_login_allowed(user)


def when(moment: datetime | None, *, overdue: bool = False) -> str:
    """A time short enough for a list column ("5 Jan 14:30"), the full date in its title."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    short = format_html(
        '<time class="desk-when" datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        format_date(local, "j F Y, H:i T"),
        format_date(local, "j M H:i"),
    )
    return format_html("{} {}", short, badge("overdue", "yes", "overdue")) if overdue else short


class DeskModelAdmin(DeskListStyle, admin.ModelAdmin):
    change_list_template = "admin/desk/change_list.html"  # the stock list with the desk's page icon


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(RefusesStaleEdits, DeskModelAdmin):
    list_display = ["user", "language_list", "capacity", "current_load", "active", "away_until"]
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

    @admin.display(description="languages")
    def language_list(self, profile: ReviewerProfile) -> str:
        return ", ".join(profile.languages)

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


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Past its due time")]

    def queryset(self, request, queryset):
        return queryset.overdue_at(timezone.now()) if self.value() == "yes" else queryset


@admin.register(Assignment)
class AssignmentAdmin(DeskModelAdmin):
    """Editors see every assignment, soonest due first. Five columns (the claim, who has it, where it stands, how
    urgent, when it is due) stay in view at 1280 px beside the menu and the filters; who assigned it is a filter."""

    list_display = ["claim_text", "reviewer", "state_badge", "priority_badge", "due"]
    list_filter = [
        OverdueFilter,
        "state",
        "claim__priority",
        "due_at",
        "escalated_at",
        ("assigned_by", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["claim__text", "reviewer__username"]
    readonly_fields = [f.name for f in Assignment._meta.fields]
    ordering = ["due_at"]
    # Offers are accepted or declined by their reviewer, in the workspace; the desk reassigns from the claim.
    actions = None

    def get_queryset(self, request):
        return selectors.assignments_visible_to(request.user).select_related("assigned_by")

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, assignment: Assignment) -> str:
        return truncated(assignment.claim.text)

    @admin.display(description="state", ordering="state")
    def state_badge(self, assignment: Assignment) -> str:
        state = badge("state", assignment.state, assignment.get_state_display())
        if assignment.state != AssignmentState.OFFERED:
            return state
        return format_html('{} <span class="desk-note">accept by {}</span>', state, when(assignment.accept_by))

    @admin.display(description="priority", ordering="claim__priority")
    def priority_badge(self, assignment: Assignment) -> str:
        return badge("priority", assignment.claim.priority, assignment.claim.get_priority_display())

    @admin.display(description="due", ordering="due_at")
    def due(self, assignment: Assignment) -> str:
        return when(assignment.due_at, overdue=assignment.is_overdue(timezone.now()))

    def has_add_permission(self, request):
        return False


@admin.register(UnroutableAlert)
class UnroutableAlertAdmin(DeskModelAdmin):
    list_display = ["claim_text", "queued_since", "sent_at"]
    list_select_related = ["claim"]
    readonly_fields = ["claim", "queued_since", "sent_at"]

    @admin.display(description="claim")
    def claim_text(self, alert: UnroutableAlert) -> str:
        return truncated(alert.claim.text, 80)

    def has_add_permission(self, request):
        return False


@admin.register(SweepFailure)
class SweepFailureAdmin(DeskModelAdmin):
    """Rows the last sweep skipped; read-only: the next sweep that gets through them clears them."""

    list_display = ["step", "row_id", "claim_text", "failed_at", "short_error"]
    list_filter = ["step"]
    list_select_related = ["claim"]
    readonly_fields = ["step", "row_id", "claim", "error", "failed_at"]

    @admin.display(description="claim")
    def claim_text(self, failure: SweepFailure) -> str:
        return truncated(failure.claim.text, 50)

    @admin.display(description="error")
    def short_error(self, failure: SweepFailure) -> str:
        return truncated(failure.error, 80)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(DeskModelAdmin):
    list_display = ["short_title", "publisher", "link", "accessed_at", "review"]
    list_select_related = ["review__claim"]
    search_fields = ["title", "publisher", "url"]
    readonly_fields = ["review", "url", "title", "publisher", "archive_url", "accessed_at", "position"]

    @admin.display(description="title", ordering="title")
    def short_title(self, source: Source) -> str:
        return truncated(source.title)

    @admin.display(description="URL")
    def link(self, source: Source) -> str:
        return truncated(source.url, 50)

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
class ReviewAdmin(DeskModelAdmin):
    list_display = ["claim_text", "reviewer", "rating", "stage", "updated_at", "submitted_at"]
    list_filter = ["rating", "submitted_at"]
    list_select_related = ["claim", "reviewer", "rating"]
    search_fields = ["claim__text", "summary", "reviewer__username"]
    readonly_fields = ["claim", "reviewer", "rating", "summary", "explanation", "updated_at", "submitted_at"]
    inlines = [SourceInline]
    actions = ["approve_reviews"]

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, review: Review) -> str:
        return truncated(review.claim.text)

    @admin.display(description="stage", ordering="claim__status")
    def stage(self, review: Review) -> str:
        return badge("review", review.stage)

    def has_add_permission(self, request):
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not is_editor(request.user):
            # Approving is an editor's move: the confirmation page refuses anyone else, so nobody else is offered it.
            actions.pop("approve_reviews", None)
        return actions

    @admin.action(description="Approve and publish the verdict")
    def approve_reviews(self, request: HttpRequest, queryset) -> HttpResponseRedirect:
        """The claims' approval page: the editor confirms (with an optional note) and each claim is reported
        published with its public link, exactly as from the claims list."""
        claim_ids = sorted(queryset.values_list("claim_id", flat=True))
        return redirect(admin_claim_actions.action_url("approve", claim_ids, back="list", request=request))


# The claim's list and page, with the desk's actions, and claim tracking live in their own modules; importing them
# registers them.
from reviews import admin_claims, admin_tracking  # noqa: E402, F401
