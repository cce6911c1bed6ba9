from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html, format_html_join

from claims.models import Claimant, ClaimEvent, ClaimStatus, Report, ReportSentence, Topic
from core.admin_actions import RefreshesPublicPages
from core.admin_display import DeskListStyle, ReadOnlyRecord, badge, truncated
from core.admin_edits import RefusesStaleEdits
from core.pagination import EstimatedCountPaginator


@admin.register(Topic)
class TopicAdmin(DeskListStyle, RefusesStaleEdits, RefreshesPublicPages, admin.ModelAdmin):
    list_display = ["name", "slug", "claim_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(ordering="claim_count")
    def claim_count(self, topic):
        return topic.claim_count


class WarnsThatVerdictsKeepTheirText:
    """Mix into the admin of a row that published verdicts show (before the other mixins). A verdict keeps its own
    copy of what it showed when published, so editing these fields here changes no published verdict; saving says so,
    and that a correction of each verdict is how the new text reaches it."""

    shown_on_verdicts: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        changed = [name for name in self.shown_on_verdicts if name in form.changed_data]
        if not change or not changed:
            return
        verdicts = obj.claims.filter(status__in=[ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED]).count()
        if verdicts:
            fields = ", ".join(str(form.fields[name].label).lower() for name in changed)
            count = "1 published verdict still shows" if verdicts == 1 else f"{verdicts} published verdicts still show"
            self.message_user(
                request,
                f"{count} the old {fields}: a verdict keeps what it was published with until an editor publishes a "
                "correction of it.",
                level=messages.WARNING,
            )


@admin.register(Claimant)
class ClaimantAdmin(
    DeskListStyle, RefusesStaleEdits, WarnsThatVerdictsKeepTheirText, RefreshesPublicPages, admin.ModelAdmin
):
    shown_on_verdicts = ("name", "kind")
    list_display = ["name", "kind", "claim_count"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(ordering="claim_count")
    def claim_count(self, claimant):
        return claimant.claim_count


SENTENCES_HEAD = (
    '<table class="desk-table desk-sentences"><thead><tr><th scope="col">Check-worthiness</th>'
    '<th scope="col">Sentence</th><th scope="col">Closest earlier claim or verdict</th></tr></thead>'
)


def _match(sentence: ReportSentence) -> str:
    if sentence.match is None:
        return "—"
    return format_html(
        '{} <span class="desk-quiet">({}, {})</span>',
        truncated(sentence.match.text, 80),
        sentence.match.get_kind_display(),
        f"{sentence.match_score or 0.0:.2f}",
    )


def ranked_sentences(report: Report) -> str:
    """The report's sentences, most check-worthy first (ties in reading order), each with its closest match."""
    rows = ReportSentence.objects.filter(report=report).select_related("match").order_by("-score", "position")
    body = format_html_join(
        "",
        '<tr><td>{}</td><td dir="auto">{}</td><td>{}</td></tr>',
        ((f"{row.score:.2f}", row.text, _match(row)) for row in rows),
    )
    if not body:
        return "None: the report has no text yet, or it could not be read."
    return format_html(SENTENCES_HEAD + "<tbody>{}</tbody></table>", body)


@admin.register(Report)
class ReportAdmin(
    DeskListStyle, RefusesStaleEdits, WarnsThatVerdictsKeepTheirText, RefreshesPublicPages, admin.ModelAdmin
):
    """Reports with how reading them went (status, failure) and their sentences ranked by check-worthiness."""

    shown_on_verdicts = ("headline", "url", "outlet", "published_at")
    list_display = ["short_headline", "status_badge", "outlet", "language", "submitted_by", "created_at"]
    list_filter = ["status", "language", "created_at"]
    list_select_related = ["submitted_by"]
    search_fields = ["headline", "outlet", "url"]
    # Tables that grow with every claim: no COUNT(*) of the whole of it on each page (core.pagination).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = ["status", "failure", "fetched_at", "submitted_by", "created_at", "sentence_ranking"]

    @admin.display(description="headline", ordering="headline")
    def short_headline(self, report: Report) -> str:
        return truncated(report.headline, 80)

    @admin.display(description="status", ordering="status")
    def status_badge(self, report: Report) -> str:
        return badge("fetch", report.status, report.get_status_display())

    @admin.display(description="Sentences, most check-worthy first")
    def sentence_ranking(self, report: Report) -> str:
        return ranked_sentences(report)


@admin.register(ClaimEvent)
class ClaimEventAdmin(DeskListStyle, ReadOnlyRecord, admin.ModelAdmin):
    """The audit trail: read-only, written only by claims.transitions."""

    list_display = ["claim_text", "from_status", "to_status", "actor", "at"]
    list_filter = ["to_status", "at"]
    list_select_related = ["claim", "actor"]
    search_fields = ["claim__text", "note", "actor__username"]
    # Tables that grow with every claim: no COUNT(*) of the whole of it on each page (core.pagination).
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, event: ClaimEvent) -> str:
        return truncated(event.claim.text)
