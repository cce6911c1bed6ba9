"""A fact-check's page (the current version, or the tombstone of a retracted one) and each old version's page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from factcheck.record.models import FactCheck
from factcheck.record.selectors import claim_review_for, fact_check_page, fact_check_versions, repetitions
from factcheck.site.cache import cached_page, with_last_modified
from factcheck.site.pages.present import http_url, verdict_context


def _fact_check_or_404(slug: str) -> FactCheck:
    fact_check = fact_check_page(slug)
    if fact_check is None:
        raise Http404("No fact-check at this address.")
    return fact_check


@require_safe
@cached_page
def fact_check_detail(request: HttpRequest, slug: str) -> HttpResponse:
    fact_check = _fact_check_or_404(slug)
    context = verdict_context(fact_check, fact_check.current_version, fact_check_versions(fact_check))
    context["repetitions"] = repeated = repetitions(fact_check)
    for appearance in repeated.shown:
        appearance.link = http_url(appearance.report.url)
    if fact_check.retracted_at is None:
        context["claim_review"] = claim_review_for(fact_check, with_repeats=True)
    # A repetition recorded after the last correction changes the page too: a reader's copy is then out of date.
    changed = max([fact_check.updated_at, *(appearance.created_at for appearance in repeated.shown)])
    return with_last_modified(render(request, "factcheck/detail.html", context), changed)


@require_safe
@cached_page
def fact_check_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A version as it was published, at an address that never changes.

    It carries no ClaimReview: the canonical page describes the verdict that stands, and one claim's review
    published twice with different ratings would mislead aggregators. A retracted fact-check's versions show the
    tombstone: the verdict is withdrawn wherever it was shown.
    """
    fact_check = _fact_check_or_404(slug)
    versions = fact_check_versions(fact_check)
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404("This fact-check has no such version.")
    context = verdict_context(fact_check, version, versions)
    context["is_current"] = version.pk == fact_check.current_version_id
    # The page names the versions that followed, so it changes when a correction is published.
    return with_last_modified(render(request, "factcheck/version.html", context), fact_check.updated_at)
