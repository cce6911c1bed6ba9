"""Feeds for readers and machines: an Atom feed of new, corrected and retracted verdicts, and a JSON feed of every
live ClaimReview for aggregators."""

import re
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from factcheck.record.models import FactCheck
from factcheck.record.selectors import APPEARANCES_PREFETCH, claim_review_for, public_fact_checks

ATOM_ITEMS = 50
JSON_PAGE_SIZE = 100
JSON_MAX_PAGE_SIZE = 500
JSON_FEED_PARAMS = ("limit", "after", "updated_since")  # what claim_review_feed reads
# XML 1.0 forbids these characters; Django's feed writer raises on them, so a stray one pasted into a claim would
# otherwise take the whole feed down.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]")


def _xml_text(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


class PlainTextAtom1Feed(Atom1Feed):
    """Atom whose entry summaries are declared plain text.

    Django's Atom writer marks every summary `type="html"`, which tells readers to render it as markup after one
    level of XML escaping: a summary typed as "a<b and c>d" would lose its middle, and one holding a tag would run
    it. Claims, summaries, notes and reasons are plain text everywhere else on the site, so they are here too.
    """

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class FactCheckAtomFeed(Feed):
    """One entry per fact-check whose id is its page URL: a correction or retraction bumps `updated`, so feed readers
    show the entry again instead of adding a duplicate."""

    feed_type = PlainTextAtom1Feed

    def title(self) -> str:
        return f"{settings.FACTCHECK_PUBLISHER_NAME}: fact-checks"

    def subtitle(self) -> str:
        return "New, corrected and retracted verdicts, most recently changed first."

    def link(self) -> str:
        return settings.SITE_URL + reverse("factcheck:list")

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("discovery:atom")

    def author_name(self) -> str:
        return settings.FACTCHECK_PUBLISHER_NAME

    def items(self) -> QuerySet[FactCheck]:
        return public_fact_checks().order_by("-updated_at", "-id")[:ATOM_ITEMS]

    def item_title(self, fact_check: FactCheck) -> str:
        if fact_check.retracted_at:
            prefix = "Retracted"
        else:
            version = fact_check.current_version
            prefix = version.rating_label + (" (corrected)" if version.number > 1 else "")
        return _xml_text(f"{prefix}: {fact_check.claim.text}")

    def item_description(self, fact_check: FactCheck) -> str:
        if fact_check.retracted_at:
            return _xml_text(f"This fact-check was retracted: {fact_check.retraction_reason}")
        version = fact_check.current_version
        correction = f"Correction (version {version.number}): {version.note}\n\n" if version.number > 1 else ""
        return _xml_text(correction + version.summary)

    def item_link(self, fact_check: FactCheck) -> str:
        return fact_check.public_url

    def item_guid(self, fact_check: FactCheck) -> str:
        return fact_check.public_url

    def item_pubdate(self, fact_check: FactCheck) -> datetime:
        return fact_check.published_at

    def item_updateddate(self, fact_check: FactCheck) -> datetime:
        return fact_check.updated_at

    def item_categories(self, fact_check: FactCheck) -> list[str]:
        return ["retracted"] if fact_check.retracted_at else [fact_check.current_version.rating_label]


def _bounded_int(raw: str | None, *, default: int, low: int, high: int) -> int | None:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return min(max(value, low), high)


def _updated_since(raw: str | None) -> datetime | None:
    """An ISO 8601 date, or date and time; one without an offset is read as UTC. ValueError for anything else."""
    if raw is None:
        return None
    instant = datetime.fromisoformat(raw.strip())
    try:
        return instant.astimezone(UTC) if instant.tzinfo else instant.replace(tzinfo=UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00, before the first representable instant
        raise ValueError(raw) from None


def _next_page(feed_url: str, rows: list[FactCheck], limit: int, since: datetime | None) -> str | None:
    """The next page's address: after the last row shown, same limit and filter; None on the last page."""
    if len(rows) <= limit:
        return None
    query = {"after": rows[limit - 1].pk, "limit": limit}
    if since is not None:
        query["updated_since"] = since.isoformat()
    return f"{feed_url}?{urlencode(query)}"


def retracted_since(since: datetime) -> list[dict[str, str]]:
    """The page address and retraction time of each verdict retracted at or after `since`, oldest first."""
    retracted = public_fact_checks().filter(retracted_at__gte=since).order_by("retracted_at", "pk")
    return [
        {"url": settings.SITE_URL + reverse("factcheck:detail", kwargs={"slug": slug}), "retracted_at": at.isoformat()}
        for slug, at in retracted.values_list("slug", "retracted_at")
    ]


def claim_review_feed(request: HttpRequest) -> JsonResponse:
    """Every live ClaimReview, oldest first, `limit` at a time; follow `next_url` until it is null.

    Keyset pages (`after` = the last id seen) stay correct while new verdicts are published during a crawl. Retracted
    verdicts are left out: their pages carry no ClaimReview either, and aggregators must drop what is missing.
    `updated_since` (ISO 8601) keeps only verdicts published or corrected at or after that time, for polling; its
    first page also lists under `retracted` the pages of verdicts retracted since then, which a poller that only
    read changed items would otherwise keep forever.
    """
    limit = _bounded_int(request.GET.get("limit"), default=JSON_PAGE_SIZE, low=1, high=JSON_MAX_PAGE_SIZE)
    after = _bounded_int(request.GET.get("after"), default=0, low=0, high=2**63 - 1)
    if limit is None or after is None:
        return JsonResponse({"detail": "limit and after must be whole numbers."}, status=400)
    try:
        since = _updated_since(request.GET.get("updated_since"))
    except ValueError:
        detail = "updated_since must be an ISO 8601 date or date and time, e.g. 2026-03-14T10:00:00Z."
        return JsonResponse({"detail": detail}, status=400)
    # The repetitions come with their rows, one query a page: each item is the object its page embeds.
    rows = public_fact_checks().prefetch_related(APPEARANCES_PREFETCH).filter(retracted_at=None, pk__gt=after)
    if since is not None:
        rows = rows.filter(updated_at__gte=since)
    rows = list(rows.order_by("pk")[: limit + 1])
    feed_url = settings.SITE_URL + reverse("discovery:claimreview-json")
    body = {
        "title": f"{settings.FACTCHECK_PUBLISHER_NAME}: ClaimReview feed",
        "description": "Every published verdict as schema.org ClaimReview, the object its page embeds. "
        "Retracted verdicts are not listed as items; with updated_since, those retracted since are under retracted.",
        "home_page_url": settings.SITE_URL + reverse("factcheck:list"),
        "feed_url": feed_url,
        "next_url": _next_page(feed_url, rows, limit, since),
        "items": [claim_review_for(fact_check, with_repeats=True) for fact_check in rows[:limit]],
    }
    if since is not None and after == 0:
        body["retracted"] = retracted_since(since)
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public data, no credentials: aggregators may read it anywhere
    return response
