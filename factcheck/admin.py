from django import forms
from django.contrib import admin, messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from claims.roles import is_editor
from factcheck.external import ImportOutcome, import_url
from factcheck.models import ExternalFactCheck, FactCheck, FactCheckVersion, Rating, RatingScale

MAX_IMPORT_URLS = 10


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


class ImportForm(forms.Form):
    urls = forms.CharField(
        label="Page URLs",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=f"One http(s) URL per line, at most {MAX_IMPORT_URLS}: pages carrying ClaimReview markup.",
    )

    def clean_urls(self) -> list[str]:
        urls = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        if len(urls) > MAX_IMPORT_URLS:
            raise forms.ValidationError(f"At most {MAX_IMPORT_URLS} URLs at a time.")
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                validate(url)
            except ValidationError:
                raise forms.ValidationError(f"{url[:100]} is not an http(s) URL.") from None
        return urls


def may_import(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_active and (user.is_superuser or is_editor(user))


@admin.register(ExternalFactCheck)
class ExternalFactCheckAdmin(admin.ModelAdmin):
    """Imported rows are read-only: a re-import, not a hand edit, brings them up to date with the publisher."""

    list_display = ["short_claim", "claimant", "rating_label", "publisher_name", "date_published", "problem_count"]
    list_filter = ["publisher_name", "language", "date_published"]
    search_fields = ["claim_reviewed", "claimant", "publisher_name", "url"]
    readonly_fields = [f.name for f in ExternalFactCheck._meta.fields if f.name != "id"]
    actions = ["reimport"]
    change_list_template = "admin/factcheck/externalfactcheck/change_list.html"

    @admin.display(description="claim")
    def short_claim(self, row: ExternalFactCheck) -> str:
        return row.claim_reviewed[:90]

    @admin.display(description="problems")
    def problem_count(self, row: ExternalFactCheck) -> int:
        return len(row.problems)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "may_import": may_import(request.user)}
        return super().changelist_view(request, extra_context)

    def get_urls(self) -> list:
        own = [path("import/", self.admin_site.admin_view(self.import_view), name="factcheck_externalfactcheck_import")]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not may_import(request.user):
            raise PermissionDenied
        form = ImportForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            for url in form.cleaned_data["urls"]:
                self._report(request, import_url(url))
            return redirect("admin:factcheck_externalfactcheck_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Import ClaimReview from URL",
        }
        return TemplateResponse(request, "admin/factcheck/externalfactcheck/import.html", context)

    @admin.action(description="Re-import from their pages")
    def reimport(self, request: HttpRequest, queryset: QuerySet[ExternalFactCheck]) -> None:
        if not may_import(request.user):
            raise PermissionDenied
        for page in sorted({row.source_page or row.url for row in queryset})[:MAX_IMPORT_URLS]:
            self._report(request, import_url(page))

    def _report(self, request: HttpRequest, outcome: ImportOutcome) -> None:
        level = messages.SUCCESS if outcome.ok else messages.ERROR
        self.message_user(
            request, f"{outcome.source}: {len(outcome.created)} created, {len(outcome.updated)} updated.", level
        )
        problems = outcome.problems + [f"{row.url}: {p}" for row in outcome.stored for p in row.problems]
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)


from factcheck import webhooks_admin  # noqa: E402, F401  (registers the webhook admin classes)
