"""One form per article URL, so the same report submitted twice is found again; and which address a fetched page
is published under (the final URL after redirects, or the canonical URL it declares on its own site)."""

from urllib.parse import parse_qsl, quote, unquote, urldefrag, urlencode, urlsplit, urlunsplit

import idna
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from tld import get_fld

from core.netguard import is_public_address, written_address

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that say how a reader arrived, not which article it is: these name families (utm_source, utm_medium…).
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")
# The same, as whole names only: "ref" is noise, "reference" or "refresh" may select content. Click ids of ad and
# social networks, analytics' link decoration and share markers; none of them ever chooses what a page shows.
_TRACKING_NAMES = frozenset(
    {
        "ref", "ref_src", "ref_url", "dclid", "gbraid", "wbraid", "gclsrc", "msclkid", "yclid", "twclid", "ttclid",
        "igshid", "igsh", "mkt_tok", "_ga", "_gl", "smid", "ncid", "at_medium", "at_campaign",
    }
)  # fmt: skip
MAX_ADDRESS = 1000  # Report.url's length: a longer address would be cut, and a cut address names no article


# What a path keeps unescaped (RFC 3986 pchar and "/"); everything else is percent-encoded, in upper case.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def url_key(url: str) -> str:
    """The URL without what does not change the article: scheme and host case, default port, fragment, tracking
    parameters, a trailing slash. http and https name the same article. A host in another script and its
    punycode are one host, and a path written in letters or percent-escaped (in either case) is one path."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = _ascii_host((parts.hostname or "").lower().rstrip("."))
    if host.startswith("www."):
        host = host[4:]
    port = parts.port if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme.lower()) else None
    netloc = f"{host}:{port}" if port else host
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    path = quote(unquote(parts.path), safe=_PATH_SAFE).rstrip("/") or "/"
    return urlunsplit(("", netloc, path, urlencode(query), ""))[2:][:1000]


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith(_TRACKING) or name in _TRACKING_NAMES


def _ascii_host(host: str) -> str:
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return host  # not a valid name; the fetch refuses it, and the key stays as written


def article_address(final_url: str, canonical: str, *, allow_private: bool = False) -> str:
    """The address a report's article is known by: the page's declared canonical URL when it can be trusted, else
    the URL the page was read from (after redirects), without its fragment.

    A page may declare any canonical, so one is taken only on the page's own site (the same registrable domain, or
    the same host where there is none: an address literal, "localhost"); a page elsewhere cannot make its report
    pass for another site's article. A canonical at the site's root is refused for an article below it: CMSs that
    name the home page as every page's canonical would make all of a site's articles one.
    """
    final_url = urldefrag(final_url.strip())[0]
    canonical = urldefrag(canonical.strip())[0]
    if _trusted_canonical(final_url, canonical, allow_private=allow_private):
        return canonical
    return final_url if len(final_url) <= MAX_ADDRESS else ""


def _trusted_canonical(final_url: str, canonical: str, *, allow_private: bool) -> bool:
    if not canonical or len(canonical) > MAX_ADDRESS or not is_web_address(canonical, allow_private=allow_private):
        return False
    final, declared = urlsplit(final_url), urlsplit(canonical)
    if _site(final.hostname or "") != _site(declared.hostname or ""):
        return False
    return not (_is_root(declared) and not _is_root(final))


def is_web_address(url: str, *, allow_private: bool = False) -> bool:
    """An http(s) address with a host, no credentials, and no host written as an address off the public internet
    (127.0.0.1, 10.0.0.5; allowed where `allow_private` is, as the fetcher allows them in tests). Names are not
    resolved: nothing here touches the network."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme.lower() not in _DEFAULT_PORTS or not host or parts.username is not None:
        return False
    try:
        URLValidator(schemes=list(_DEFAULT_PORTS))(url)  # as Report.url validates it: an address the report can keep
    except ValidationError:
        return False
    address = written_address(host)
    return address is None or allow_private or is_public_address(address)


def _site(host: str) -> str:
    host = _ascii_host(host.lower().rstrip("."))
    return get_fld(host, fix_protocol=True, fail_silently=True) or host.removeprefix("www.")


def _is_root(parts) -> bool:
    return parts.path.strip("/") == "" and not parts.query
