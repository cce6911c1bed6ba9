"""How we work (generated from the rating scale and the settings) and the public log of corrections."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims.models import Priority
from factcheck.record.models import RatingScale
from factcheck.record.selectors import corrections_log, log_entries
from factcheck.site.cache import FIRST_PAGE, cached_page, with_last_modified
from factcheck.site.pages.present import page_or_404

LOG_PAGE_SIZE = 50


@require_safe
@cached_page
def methodology(request: HttpRequest) -> HttpResponse:
    scale = RatingScale.objects.filter(is_default=True).prefetch_related("ratings").first()
    deadlines = [
        {"priority": priority.label, **settings.REVIEW_SLA_HOURS[priority.value]}
        for priority in (Priority.HIGH, Priority.NORMAL, Priority.LOW)
    ]
    context = {"scale": scale, "ratings": list(scale.ratings.all()) if scale else [], "deadlines": deadlines}
    return render(request, "factcheck/methodology.html", context)


@require_safe
@cached_page(params=("page",), defaults=FIRST_PAGE)
def corrections(request: HttpRequest) -> HttpResponse:
    """Every correction and retraction, newest first."""
    page = page_or_404(Paginator(corrections_log(), LOG_PAGE_SIZE), request.GET.get("page"))
    entries = log_entries(list(page.object_list))
    newest = entries[0].at if entries and page.number == 1 else None
    return with_last_modified(render(request, "factcheck/corrections.html", {"page": page, "entries": entries}), newest)
