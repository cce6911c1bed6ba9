"""Admin for the outside world. Webhooks: look at endpoints and their delivery log, pause an endpoint, send failed
deliveries again. Imported fact-checks: import ClaimReview pages by URL and re-import them, in a worker (fetching a
page may take seconds); the editor is emailed the outcome.

Endpoints are registered through the API only, where the receiver URL gets its SSRF check; the admin does not repeat
that rule, so it cannot add endpoints or change their URL or secret.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.admin_display import DeskListStyle, badge, truncated
from core.roles import is_editor
from factcheck.integrations import webhooks
from factcheck.integrations.external import queue_import
from factcheck.integrations.models import ExternalFactCheck, WebhookDelivery, WebhookEndpoint

# Pages per import task: a page may take ten seconds to fetch, and a task must end well within its time limit.
MAX_IMPORT_URLS = 10

Status = WebhookDelivery.Status


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(DeskListStyle, admin.ModelAdmin):
    list_display = [
        "short_url",
        "event_list",
        "active",
        "failed_deliveries",
        "pending_deliveries",
        "created_by",
        "created_at",
    ]
    list_select_related = ["created_by"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    fields = ["url", "events", "active", "description", "created_by", "created_at", "delivery_log"]
    readonly_fields = ["url", "events", "created_by", "created_at", "delivery_log"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                failed=Count("deliveries", filter=Q(deliveries__status=Status.FAILED)),
                pending=Count("deliveries", filter=Q(deliveries__status=Status.PENDING)),
            )
        )

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="URL", ordering="url")
    def short_url(self, endpoint: WebhookEndpoint) -> str:
        return truncated(endpoint.url)

    @admin.display(description="events")
    def event_list(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.events)

    @admin.display(description="failed", ordering="failed")
    def failed_deliveries(self, endpoint: WebhookEndpoint) -> int:
        return endpoint.failed

    @admin.display(description="pending", ordering="pending")
    def pending_deliveries(self, endpoint: WebhookEndpoint) -> int:
        return endpoint.pending

    @admin.display(description="deliveries")
    def delivery_log(self, endpoint: WebhookEndpoint) -> str:
        url = reverse("admin:factcheck_webhookdelivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
        return format_html('<a href="{}">Delivery log</a>', url)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(DeskListStyle, admin.ModelAdmin):
    list_display = [
        "id",
        "event",
        "endpoint_url",
        "status_badge",
        "attempts",
        "last_status_code",
        "created_at",
        "delivered_at",
    ]
    list_select_related = ["endpoint"]
    list_filter = ["status", "event", "endpoint"]
    search_fields = ["endpoint__url"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_response",
        "last_error",
        "created_at",
        "delivered_at",
        "payload",
    ]
    fields = readonly_fields
    actions = ["send_again"]

    @admin.display(description="endpoint", ordering="endpoint__url")
    def endpoint_url(self, delivery: WebhookDelivery) -> str:
        return truncated(delivery.endpoint.url, 50)

    @admin.display(description="status", ordering="status")
    def status_badge(self, delivery: WebhookDelivery) -> str:
        return badge("status", delivery.status, delivery.get_status_display())

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the log is a record of what happened; "send again" is the only thing to do with it

    def has_resend_permission(self, request) -> bool:
        # The model's change permission guards sending again, although the rows themselves are read-only.
        return request.user.has_perm("factcheck.change_webhookdelivery")

    @admin.action(description="Send again (a fresh set of attempts)", permissions=["resend"])
    def send_again(self, request, queryset) -> None:
        count = webhooks.resend(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} deliveries queued again; pending ones were left alone.", messages.SUCCESS)


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
class ExternalFactCheckAdmin(DeskListStyle, admin.ModelAdmin):
    """Imported rows are read-only: a re-import, not a hand edit, brings them up to date with the publisher."""

    list_display = ["short_claim", "claimant", "rating_label", "publisher_name", "date_published", "problem_count"]
    list_filter = ["publisher_name", "language", "date_published"]
    search_fields = ["claim_reviewed", "claimant", "publisher_name", "url"]
    readonly_fields = [f.name for f in ExternalFactCheck._meta.fields if f.name != "id"]
    actions = ["reimport"]
    change_list_template = "admin/factcheck/externalfactcheck/change_list.html"

    @admin.display(description="claim")
    def short_claim(self, row: ExternalFactCheck) -> str:
        return truncated(row.claim_reviewed, 90)

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
            self._queue(request, form.cleaned_data["urls"])
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
        self._queue(request, sorted({row.source_page or row.url for row in queryset}))

    def _queue(self, request: HttpRequest, urls: list[str]) -> None:
        """Queue every page, MAX_IMPORT_URLS to a task, and name the pages that could not be queued, if any."""
        reports, failed = 0, []
        for batch in in_batches(urls):
            if queue_import(batch, editor_id=request.user.pk):
                reports += 1
            else:
                failed.extend(batch)
        if not reports:
            self.message_user(
                request, "The import could not be queued (the task queue is down); try again.", messages.ERROR
            )
            return
        self.message_user(request, _queued_text(len(urls) - len(failed), reports, request.user.email), messages.SUCCESS)
        if failed:
            self.message_user(
                request,
                f"{len(failed)} of the {len(urls)} pages could not be queued (the task queue is down); try these "
                f"again: {', '.join(failed)}",
                messages.ERROR,
            )


def in_batches(urls: list[str], size: int = MAX_IMPORT_URLS) -> list[list[str]]:
    return [urls[start : start + size] for start in range(0, len(urls), size)]


def _queued_text(pages: int, reports: int, email: str) -> str:
    report_to = f"emailed to {email}" if email else "logged (your account has no email)"
    if reports > 1:
        report_to = f"{report_to} in {reports} reports of up to {MAX_IMPORT_URLS} pages each"
    return (
        f"Import of {pages} page(s) queued: the reviews appear in this list as they are read, and the outcome is "
        f"{report_to}."
    )
