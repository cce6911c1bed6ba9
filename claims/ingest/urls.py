"""One form per article URL, so the same report submitted twice is found again."""

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import idna

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that say how a reader arrived, not which article it is.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


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
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(_TRACKING)]
    path = quote(unquote(parts.path), safe=_PATH_SAFE).rstrip("/") or "/"
    return urlunsplit(("", netloc, path, urlencode(query), ""))[2:][:1000]


def _ascii_host(host: str) -> str:
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return host  # not a valid name; the fetch refuses it, and the key stays as written
