"""Public pages: the list of fact-checks and each verdict, readable without JavaScript."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from factcheck.selectors import claim_review_for, public_fact_checks


def fact_check_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(public_fact_checks(), 20).get_page(request.GET.get("page"))
    return render(request, "factcheck/list.html", {"page": page})


def fact_check_detail(request: HttpRequest, slug: str) -> HttpResponse:
    fact_check = get_object_or_404(public_fact_checks().prefetch_related("versions"), slug=slug)
    context = {"fact_check": fact_check, "version": fact_check.current_version, "claim": fact_check.claim}
    if fact_check.retracted_at is None:
        context["claim_review"] = claim_review_for(fact_check)
    return render(request, "factcheck/detail.html", context)
