"""Admin for the published record: rating scales and fact-checks (read-only: they change through the desk)."""

from django.contrib import admin

from factcheck.record.models import FactCheck, FactCheckVersion, Rating, RatingScale


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "best", "worst", "is_default"]
    inlines = [RatingInline]


class VersionInline(admin.TabularInline):
    model = FactCheckVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "rating", "summary", "note", "created_by", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FactCheck)
class FactCheckAdmin(admin.ModelAdmin):
    list_display = ["slug", "rating", "published_at", "updated_at", "retracted_at"]
    list_select_related = ["current_version__rating"]
    list_filter = ["current_version__rating", "published_at"]
    search_fields = ["slug", "claim__text"]
    readonly_fields = [
        "claim",
        "slug",
        "current_version",
        "published_at",
        "updated_at",
        "retracted_at",
        "retraction_reason",
    ]
    inlines = [VersionInline]

    @admin.display(description="rating")
    def rating(self, fact_check):
        return fact_check.current_version.rating if fact_check.current_version else None

    def has_add_permission(self, request):
        return False
