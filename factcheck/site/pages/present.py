"""What the verdict templates are given: user text made safe to show, and the parts a page needs prepared."""

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.utils.dateparse import parse_date

from factcheck.record.cards import fact_check_cards
from factcheck.record.models import FactCheck, FactCheckVersion
from factcheck.site.markdown import render_markdown

PAGE_SIZE = 20
# A page number as our links write it: ASCII digits without a leading zero. int() would also take "01", " 1", "1_0"
# or Arabic-Indic digits, each another spelling of a page, and so another copy of it in the page cache.
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def page_or_404(paginator: Paginator, number: str | None) -> Page:
    """The page `?page=` names (the first without it); 404 for a page that does not exist or is not a number.

    Not the last or first page instead: every made-up number would answer 200 with a copy of another page, and a
    404 is never stored by the page cache.
    """
    if number is not None and not _PAGE_NUMBER.fullmatch(number):
        raise Http404("No such page.")
    try:
        return paginator.page(int(number or 1))
    except InvalidPage:
        raise Http404("No such page.") from None


def with_cards(page: Page) -> Page:
    """The page with its fact-checks read as cards (record/cards.py), for the `fact_check_cards` tag (site/markup)."""
    page.object_list = fact_check_cards(page.object_list)
    return page


def http_url(url: str | None) -> str:
    """The URL if it is http(s), else "": a link on our pages never carries javascript:, data: or the like.

    Input is validated where it enters (the API accepts only http(s) sources); this is the second line.
    """
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


@dataclass(frozen=True)
class SourceLine:
    title: str
    url: str
    publisher: str
    accessed_at: date | None
    archive_url: str


def source_lines(sources: list[dict]) -> list[SourceLine]:
    """A version's source snapshot in the reviewer's order (the template numbers them)."""
    return [
        SourceLine(
            title=s.get("title") or s.get("url", ""),
            url=http_url(s.get("url")),
            publisher=s.get("publisher", ""),
            accessed_at=parse_date(s.get("accessed_at") or ""),
            archive_url=http_url(s.get("archive_url")),
        )
        for s in sources
    ]


def _public_name(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def credits(version: FactCheckVersion) -> str:
    """Who stands behind a version: the reviewer who checked it and the editor who approved it.

    settings.FACTCHECK_CREDITS = "roles" names the roles only, for newsrooms that publish no names.
    """
    if settings.FACTCHECK_CREDITS == "roles":
        checked, approved = "a reviewer", "an editor"
    else:
        checked = _public_name(version.reviewed_by) if version.reviewed_by else ""
        approved = _public_name(version.created_by)
    if not version.reviewed_by_id:  # published before reviewers were recorded
        return f"Approved by {approved}."
    return f"Checked by {checked}, approved by {approved}."


def verdict_context(fact_check: FactCheck, version: FactCheckVersion, versions: list[FactCheckVersion]) -> dict:
    """Everything the detail and version pages show; `fact_check` comes from selectors.fact_check_page, `versions`
    from selectors.fact_check_versions.

    The rating, claimant and report are the version's own copies, so each version's page shows them as published.
    """
    claim = fact_check.claim
    return {
        "fact_check": fact_check,
        "claim": claim,
        "version": version,
        "versions": versions,
        "corrections": [
            {"version": v, "previous": before, "rating_changed": v.rating_label != before.rating_label}
            for before, v in pairwise(versions)
        ],
        "latest": versions[-1] if versions else version,
        "topics": list(claim.topics.all()),
        "report_url": http_url(version.report_url),
        "explanation": render_markdown(version.explanation),
        "sources": source_lines(version.sources),
        "credits": credits(version),
    }
