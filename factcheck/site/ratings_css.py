"""/ratings.css: one class per badge colour, so rating badges are coloured without style="" attributes.

The Content-Security-Policy forbids inline styles, and editors choose rating colours freely in the admin, so a
fixed stylesheet cannot hold them. Classes are named after the colour itself (`badge-8b1a1a`), not the rating: a
published version shows the colour frozen in it (FactCheckVersion.rating_colour), and its class stays in the sheet
as long as any version or rating uses that colour.

The sheet is cached like the pages, under the site-wide stamp (core.freshness) that every publication, correction
and admin edit of a rating scale replaces. Pages link it with a digest of the colours in its query string: a page
asks for a sheet that holds its colours, and stays byte for byte the same while the colours do.
"""

import hashlib
import re

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from factcheck.record.selectors import badge_colours
from factcheck.site.cache import SHEET_VERSION, cached_page, stamped

# Rating.colour is validated on input; this guards the sheet against rows written around the validator.
_HEX_COLOUR = re.compile(r"#[0-9a-f]{6}")


def badge_rules(colours: list[str]) -> str:
    return "".join(f".badge-{c[1:]} {{ background: {c}; }}\n" for c in colours if _HEX_COLOUR.fullmatch(c))


def sheet_version() -> str:
    """The digest pages put in the sheet's address (factcheck.site.context_processors): read once per stamp, since
    finding the colours reads every published version."""
    return stamped(SHEET_VERSION, lambda: hashlib.sha256(" ".join(badge_colours()).encode()).hexdigest()[:12])


@require_safe
@cached_page(ignoring=("v",))  # the version only makes browsers fetch a new sheet
def ratings_css(request: HttpRequest) -> HttpResponse:
    return HttpResponse(badge_rules(badge_colours()), content_type="text/css; charset=utf-8")
