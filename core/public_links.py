"""Links published for readers (a verdict's sources) must be ones a reader can open.

A host that is private by its very spelling (a loopback or private address in any form, "localhost", a name with one
label, a ".local" or ".internal" name) is refused. DNS is not asked: a cited link is shown, never fetched here, and
what a name resolves to on this server says nothing of what it resolves to for readers.
"""

import unicodedata
from urllib.parse import SplitResult, unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from core.netguard import is_public_address, written_address

SCHEMES = ("http", "https")
# Names that never reach the public internet: RFC 6761 (localhost), RFC 6762 (local), RFC 8375 (home.arpa) and
# ICANN's reservation of "internal" for private networks.
LOCAL_SUFFIXES = ("localhost", "local", "internal", "home.arpa")
LOCAL_NAME = "names a host on a local network, not on the public internet"
_HTTP_URL = URLValidator(schemes=list(SCHEMES))


def _host_of(parts: SplitResult) -> str:
    """The host as a browser reads it: unescaped, full-width forms and ideographic dots folded, no final dot."""
    folded = unicodedata.normalize("NFKC", unquote(parts.hostname or "")).casefold().replace("\u3002", ".")
    return folded.rstrip(".")


def _name_refusal(host: str) -> str | None:
    labels = host.split(".")
    if len(labels) < 2:
        return LOCAL_NAME
    if "" in labels:
        return "has a malformed host name"
    if labels[-1].isdigit():  # no top-level domain is numeric: an address in a form the C library does not read
        return "has a host that is neither a public name nor a valid address"
    if any(host == suffix or host.endswith("." + suffix) for suffix in LOCAL_SUFFIXES):
        return LOCAL_NAME
    return None


def _host_refusal(host: str) -> str | None:
    """Why readers could not open a link to `host`, or None for a host that may be public."""
    address = written_address(host)
    if address is not None:
        return None if is_public_address(address) else f"points at {address}, a private or local address"
    if ":" in host:  # only an IPv6 address, in brackets, has colons in a host
        return "has a host that is not a valid address"
    return _name_refusal(host)


def link_refusal(url: str) -> str | None:
    """Why `url` may not be published as a source's link, or None when readers could open it."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed "[" or a bad IPv6 literal
        return "is not a valid URL"
    if parts.scheme.lower() not in SCHEMES:
        return "is not an http(s) URL"
    host = _host_of(parts)
    return _host_refusal(host) if host else "has no host"


def link_error(url: str) -> str | None:
    """What is wrong with a link to be published, in words for the person who gave it, or None."""
    try:
        _HTTP_URL(url)
    except ValidationError:
        return f"{url!r} is not an http(s) URL."
    if reason := link_refusal(url):
        return f"{url!r} {reason}: readers could not open it. Cite a public address."
    return None
