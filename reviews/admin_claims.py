"""The claim in the editors' desk: its list, its page and the desk's actions on it."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from claims import services as claim_services
from claims.models import Claim, ClaimStatus
from claims.selectors import quote_segments
from core.admin_actions import refusal_text
from core.admin_display import PeopleByName, badge
from core.admin_edits import RefusesStaleEdits
from core.errors import DomainError, http_status
from core.pagination import EstimatedCountPaginator
from core.roles import is_editor
from core.text import whole_number
from factcheck.record.followed import verdict_of
from reviews import admin_claim_actions, selectors
from reviews.wording import in_words

TEXT_SHOWN = 90
# What the page edits on a submitted claim: what claims.services.edit_claim changes and records in the history, as
# the API's and the workspace's edits do. The rest is set by submission, triage or the desk's actions.
EDITABLE = ("text", "quote", "claimant", "claim_date", "language", "topics", "priority")
# The page's fields holding someone's words, which take their direction from those words.
RIGHT_TO_LEFT_CAPABLE = ("text", "quote")


def _may_see_reader_contacts(user) -> bool:
    return user.is_superuser or is_editor(user)


class _ClaimFieldsByStatus(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        # Like PATCH /api/v1/claims/{id}/, the claim's words are fixed once it leaves `submitted`. A save still binds
        # what was typed (the service decides whether the edit is allowed): a claim triaged since the page opened
        # refuses it, and the page shows the typed text again with the refusal.
        if obj is not None and obj.status != ClaimStatus.SUBMITTED and request.method != "POST":
            return [f.name for f in Claim._meta.fields] + ["topics"]
        return self.readonly_fields


@admin.register(Claim)
class ClaimAdmin(RefusesStaleEdits, PeopleByName, _ClaimFieldsByStatus):
    list_display = ["short_text", "status_badge", "priority_badge", "claimant_name", "language_code", "created"]
    list_filter = ["status", "priority", "origin", "language", "topics"]
    list_select_related = ["claimant"]
    search_fields = ["text", "quote", "claimant__name"]
    autocomplete_fields = ["claimant"]
    # Status moves only through the desk's actions (and their services), never by editing the field.
    # A duplicate is marked through its action (claims.duplicates), which rejects the claim with the link.
    # The report, the quote's place in it, the origin and a reader's tip are set at submission.
    readonly_fields = [f.name for f in Claim._meta.fields if f.name not in EDITABLE and f.name != "id"]
    change_form_template = "admin/claims/claim/change_form.html"
    change_list_template = "admin/desk/change_list.html"  # the stock list with the desk's page icon
    # No COUNT(*) of the whole table on every page: a capped count, or PostgreSQL's estimate (core.pagination).
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    class Media:
        css = {"all": ["desk/claim.css"]}

    def get_queryset(self, request):
        return selectors.with_overdue_flag(selectors.claims_visible_to(request.user), timezone.now())

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A reader's address is for the editors' follow-up only.
        return fields if _may_see_reader_contacts(request.user) else [f for f in fields if f != "tip_email"]

    def has_add_permission(self, request):
        return False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in RIGHT_TO_LEFT_CAPABLE and field is not None:
            # An Arabic or Hebrew claim is typed and read right to left, as the workspace's fields are.
            field.widget.attrs["dir"] = "auto"
        return field

    # The list

    @admin.display(description="text", ordering="text")
    def short_text(self, claim: Claim) -> str:
        shown = claim.text if len(claim.text) <= TEXT_SHOWN else claim.text[: TEXT_SHOWN - 1] + "…"
        # dir="auto": the cell takes its direction from the claim, so an Arabic text's "…" ends it on the left.
        return format_html('<span class="desk-text" dir="auto" title="{}">{}</span>', claim.text, shown)

    @admin.display(description="status", ordering="status")
    def status_badge(self, claim: Claim) -> str:
        status = badge("status", claim.status, claim.get_status_display())
        return format_html("{} {}", status, badge("overdue", "yes", "Overdue")) if claim.is_overdue else status

    @admin.display(description="priority", ordering="priority")
    def priority_badge(self, claim: Claim) -> str:
        return badge("priority", claim.priority, claim.get_priority_display())

    @admin.display(description="claimant", ordering="claimant__name")
    def claimant_name(self, claim: Claim) -> str:
        name = claim.claimant.name if claim.claimant else ""
        return format_html('<span class="desk-claimant" dir="auto" title="{}">{}</span>', name, name) if name else "—"

    @admin.display(description="lang", ordering="language")
    def language_code(self, claim: Claim) -> str:
        return claim.language

    @admin.display(description="created", ordering="created_at")
    def created(self, claim: Claim) -> str:
        local = timezone.localtime(claim.created_at)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            local.isoformat(),
            date_format(local, "j F Y, H:i"),
            date_format(local, "j M H:i"),
        )

    # An edit of the page goes through the claims service, which audits it; a refusal keeps the editor on the page
    # with the service's words. A page opened before someone else's save is refused before this (RefusesStaleEdits),
    # so that changed_data holds only what this editor changed.

    def save_model(self, request, obj, form, change) -> None:
        edits = {name: _service_value(name, form.cleaned_data[name]) for name in form.changed_data if name in EDITABLE}
        try:
            claim_services.edit_claim(claim_id=obj.pk, user=request.user, **edits)
        except DomainError as refused:
            # Triaged since the page opened, or words the service refuses: what was typed comes back with the
            # refusal, to fix, keep or copy.
            message = f"{in_words(refusal_text(refused))} Your text is kept below."
            self.refuse_keeping_form(request, message, status=http_status(refused))

    def save_related(self, request, form, formsets, change) -> None:
        """The topics were set by the service with the rest of the edit."""

    # The actions: each leads to its confirmation page

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_editor(request.user):
            return {}
        for action in admin_claim_actions.bulk_actions():
            actions[action.__name__] = self.get_action(action)
        return actions

    def get_urls(self):
        own = [
            path(
                "actions/<slug:name>/",
                self.admin_site.admin_view(self.action_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_action",
            )
        ]
        return own + super().get_urls()

    def action_view(self, request: HttpRequest, name: str) -> HttpResponse:
        return admin_claim_actions.confirm_view(self, request, name)

    # The claim's page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        number = whole_number(str(object_id))
        page = selectors.claim_for_desk_page(number) if number is not None else None
        if page is not None:
            segments = quote_segments(page.report.body, [page]) if page.report else []
            extra_context = {
                **(extra_context or {}),
                "desk": page,
                "desk_review": getattr(page, "review", None),
                "desk_fact_check": getattr(page, "fact_check", None),
                "desk_quote": segments,
                "desk_quote_found": any(marked for _, marked in segments),
                "desk_buttons": admin_claim_actions.buttons_for(page) if is_editor(request.user) else [],
                **_duplicate_context(page),
            }
            if page.status != ClaimStatus.SUBMITTED:
                # Every field is read-only past triage (get_readonly_fields): a Save button would save nothing.
                extra_context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return super().change_view(request, object_id, form_url, extra_context)


def _service_value(name: str, value: object) -> object:
    """A form's value as the service takes it: the claimant by name, topics by slug."""
    if name == "claimant":
        return value.name if value is not None else ""
    if name == "topics":
        return sorted(value.values_list("slug", flat=True))
    return value


def _duplicate_context(claim: Claim) -> dict:
    """A duplicate names its canonical claim and the verdict it follows; a canonical claim lists its duplicates."""
    if claim.duplicate_of_id:
        return {"desk_duplicate_of": claim.duplicate_of, "desk_followed_verdict": verdict_of(claim)}
    return {"desk_duplicates": list(claim.duplicates.order_by("pk").only("pk", "text", "status"))}
