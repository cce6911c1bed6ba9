"""Admin for the published record: rating scales and fact-checks (read-only: they change through the desk)."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property

from core.admin_actions import RefreshesPublicPages
from core.admin_edits import CheckedAgainstRow, RefusesStaleEdits
from core.pagination import EstimatedCountPaginator
from factcheck.record.models import FactCheck, FactCheckVersion, Rating, RatingScale

# Published versions keep their own copy of these (record/snapshot.py); editing the row would leave the admin saying
# one thing and the verdicts another, so a rating or scale a verdict uses is frozen here.
FROZEN_RATING_FIELDS = ("slug", "label", "value", "definition")
FROZEN_SCALE_FIELDS = ("name", "best", "worst")
FROZEN_HELP = (
    "Read-only once a published verdict uses it: verdicts keep what they were published with. To change what a "
    "verdict shows, publish a correction of it; a new rating can be added to the scale."
)


class RatingForm(CheckedAgainstRow):
    def __init__(self, *args, used_ratings: frozenset[int] = frozenset(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in FROZEN_RATING_FIELDS:
            self.fields[name].help_text = FROZEN_HELP
            # Disabled fields keep their stored value whatever the browser posts.
            self.fields[name].disabled = self.instance.pk in used_ratings


class RatingFormSet(BaseInlineFormSet):
    @cached_property
    def used_ratings(self) -> frozenset[int]:
        """The scale's ratings that published versions use, in one query for the whole formset."""
        if self.instance.pk is None:
            return frozenset()
        used = FactCheckVersion.objects.filter(rating__scale=self.instance).values_list("rating_id", flat=True)
        return frozenset(used.distinct())

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "used_ratings": self.used_ratings}


class RatingInline(admin.TabularInline):
    model = Rating
    form = RatingForm
    formset = RatingFormSet
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(RefusesStaleEdits, RefreshesPublicPages, admin.ModelAdmin):
    list_display = ["name", "slug", "best", "worst", "is_default"]
    inlines = [RatingInline]

    def _used(self, scale: RatingScale | None) -> bool:
        return scale is not None and FactCheckVersion.objects.filter(rating__scale=scale).exists()

    def get_readonly_fields(self, request, obj=None):
        frozen = FROZEN_SCALE_FIELDS if self._used(obj) else ()
        return [*super().get_readonly_fields(request, obj), *frozen]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._used(obj):
            (name, options), *rest = fieldsets
            fieldsets = [(name, {**options, "description": f"Name, best and worst: {FROZEN_HELP}"}), *rest]
        return fieldsets


class VersionInline(admin.TabularInline):
    model = FactCheckVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "rating_label", "summary", "note", "created_by", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FactCheck)
class FactCheckAdmin(admin.ModelAdmin):
    show_full_result_count = False
    paginator = EstimatedCountPaginator
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
        return fact_check.current_version.rating_label if fact_check.current_version else None

    def has_add_permission(self, request):
        return False
