"""Claim tracking in the editors' desk: the reports that repeated a claim after we published its verdict ("Repeated
claims")."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from claims.models import ClaimAppearance
from core.admin_display import ReadOnlyRecord, truncated
from reviews.admin import DeskModelAdmin
from reviews.admin_site import DESK_NAMES

REPEATED_CLAIMS = DESK_NAMES["claims.claimappearance"]


def external_link(url: str, text: str) -> str:
    """A link out of the desk to a report's own address; the address itself shows on hover."""
    if not url:
        return text
    return format_html('<a href="{}" rel="noopener noreferrer" title="{}">{}</a>', url, url, text)


class ShownPubliclyFilter(admin.SimpleListFilter):
    """Public output shows only repetitions in reports with a web address (claims.ingest.selectors)."""

    title = "shown publicly"
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", "Yes: the report has a web address"), ("no", "No: pasted or uploaded without one")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(ClaimAppearance.PUBLIC)
        if self.value() == "no":
            return queryset.exclude(ClaimAppearance.PUBLIC)
        return queryset


@admin.register(ClaimAppearance)
class ClaimAppearanceAdmin(ReadOnlyRecord, DeskModelAdmin):
    """Every recorded repetition, newest first; read-only: the tracking service records them as reports are read."""

    # Five columns stay in view at 1280 px beside the menu and the filters: the quote shares its report's cell.
    list_display = ["claim_cell", "report_cell", "claimant_name", "appeared_on", "score_cell"]
    # The claim and report cells hold links of their own; the date leads to the row's page.
    list_display_links = ["appeared_on"]
    list_filter = [ShownPubliclyFilter, "appeared_on", "created_at"]
    list_select_related = ["claim__fact_check", "report", "claimant"]
    search_fields = ["claim__text", "report__headline"]
    ordering = ["-created_at", "-id"]
    readonly_fields = ["claim", "report", "start", "end", "quote", "claimant", "appeared_on", "score", "created_at"]
    actions = None

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": REPEATED_CLAIMS, **(extra_context or {})})

    @admin.display(description="claim", ordering="claim__text")
    def claim_cell(self, appearance: ClaimAppearance) -> str:
        claim = appearance.claim
        desk_page = format_html(
            '<a href="{}">{}</a>', reverse("admin:claims_claim_change", args=[claim.pk]), truncated(claim.text, 60)
        )
        fact_check = getattr(claim, "fact_check", None)
        if fact_check is None:
            return desk_page
        return format_html(
            '{} <a class="desk-verdict-link" href="{}">public verdict</a>', desk_page, fact_check.get_absolute_url()
        )

    @admin.display(description="quote and report", ordering="report__headline")
    def report_cell(self, appearance: ClaimAppearance) -> str:
        report = appearance.report
        headline = external_link(report.url, truncated(report.headline or report.url, 50))
        source = format_html("{} — {}", headline, report.outlet) if report.outlet else headline
        quote = format_html('<q class="desk-quote" dir="auto">{}</q>', truncated(appearance.quote, 80))
        if not appearance.is_public:
            # Editors should know why the verdict's page does not list it.
            source = format_html(
                '{} <span class="desk-private" title="{}">not public</span>',
                source,
                "The report has no web address: the verdict's page and ClaimReview do not show this repetition.",
            )
        return format_html('{}<span class="desk-source">{}</span>', quote, source)

    @admin.display(description="claimant", ordering="claimant__name")
    def claimant_name(self, appearance: ClaimAppearance) -> str:
        return appearance.claimant.name if appearance.claimant else "—"

    @admin.display(description="score", ordering="score")
    def score_cell(self, appearance: ClaimAppearance) -> str:
        return f"{appearance.score:.2f}"
