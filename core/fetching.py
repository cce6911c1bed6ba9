"""Fetch another publisher's HTML page without letting a URL reach into our own network (SSRF).

Every hop (the first request and each redirect) is checked the same way: http(s) only, the host is resolved once and
every address it resolves to must be public, and the connection goes to that checked address, so a second DNS answer
(rebinding) cannot swap in a private one between check and connect. Bodies are capped and must be HTML.
"""

import http.client
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

from core.netguard import is_public_address

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = 3
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "FactcheckDesk-ClaimReviewImporter/1.0"
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_URL_SAFE = "/%:@!$&'()*+,;=-._~"


class FetchError(Exception):
    """The page could not be fetched; the message says why, in words an editor understands."""


class RefusedTarget(FetchError):
    """The URL points somewhere we never connect to (a private address, a non-web scheme)."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # where the body came from, after redirects
    body: bytes
    charset: str | None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to (the DNS edge; tests replace it to map names to their local server)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"The host {host!r} could not be resolved.") from exc
    # Drop an IPv6 zone ("fe80::1%eth0"): the address alone decides whether it is allowed.
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def open_connection(ip: IPAddress, port: int, timeout: float) -> socket.socket:
    """Open a TCP connection to an already checked address (the network edge)."""
    return socket.create_connection((str(ip), port), timeout=timeout)


def _checked_target(url: str) -> tuple[str, str, int, IPAddress]:
    """Validate one hop: returns (scheme, host, port, address to connect to) or raises RefusedTarget."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise RefusedTarget(f"Only http and https URLs are fetched, not {scheme or 'a relative URL'!r}.")
    if parts.username is not None or parts.password is not None:
        raise RefusedTarget("URLs with a user name or password are not fetched.")
    try:
        host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:  # a port that is not a number or out of range
        raise RefusedTarget(f"The URL {url!r} has an invalid port.") from exc
    if not host:
        raise RefusedTarget(f"The URL {url!r} names no host.")
    addresses = resolve(host, port)
    if not addresses:
        raise FetchError(f"The host {host!r} has no address.")
    if not settings.FETCH_ALLOW_PRIVATE_HOSTS:
        # Refuse if any answer is private: connecting to "the public one" would let a hostile DNS server choose.
        refused = [ip for ip in addresses if not is_public_address(ip)]
        if refused:
            raise RefusedTarget(f"{host} resolves to a non-public address ({refused[0]}); it is not fetched.")
    return scheme, host, port, addresses[0]


def _connection(scheme: str, host: str, port: int, ip: IPAddress, timeout: float) -> http.client.HTTPConnection:
    """A connection whose Host header, SNI and certificate check use `host` while the socket goes to `ip`."""
    cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = cls(host, port, timeout=timeout)

    def connect_to_checked_address(
        address: tuple[str, int], timeout: float = timeout, source_address: object = None
    ) -> socket.socket:
        # http.client would resolve `host` again here; connecting to the checked `ip` closes the rebinding window.
        return open_connection(ip, address[1], timeout)

    conn._create_connection = connect_to_checked_address  # the hook http.client itself uses to open the socket
    return conn


def _read_capped(response: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"The page is larger than {max_bytes} bytes.")
    chunks, size = [], 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"The page is larger than {max_bytes} bytes.")
        if time.monotonic() > deadline:  # a server trickling bytes must not hold us past the overall timeout
            raise FetchError("The page took too long to download.")
        chunks.append(chunk)
    return b"".join(chunks)


def _request_path(url: str) -> str:
    """The request target, percent-encoded: a URL pasted with spaces or accents still makes a valid request line."""
    parts = urlsplit(url)
    path = quote(parts.path or "/", safe=_URL_SAFE)
    return path + (f"?{quote(parts.query, safe=_URL_SAFE + '?')}" if parts.query else "")


def fetch_html(
    url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS, max_redirects: int = MAX_REDIRECTS
) -> FetchedPage:
    """GET an HTML page, following at most `max_redirects` redirects, each checked like the first URL."""
    deadline = time.monotonic() + timeout
    for _hop in range(max_redirects + 1):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"Gave up on {url}: the redirects took too long.")
        scheme, host, port, ip = _checked_target(url)
        conn = _connection(scheme, host, port, ip, remaining)
        try:
            conn.request(
                "GET",
                _request_path(url),
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml",
                    "Accept-Encoding": "identity",  # http.client does not decompress; a gzip bomb stays out
                },
            )
            response = conn.getresponse()
            if response.status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{url} answered a redirect without a Location.")
                url = urljoin(url, location.strip())
                continue
            if response.status != 200:
                raise FetchError(f"{url} answered HTTP {response.status}.")
            content_type = response.getheader("Content-Type", "")
            media_type = content_type.split(";", 1)[0].strip().lower()
            if media_type not in HTML_TYPES:
                raise FetchError(f"{url} is {media_type or 'of no declared type'}, not an HTML page.")
            body = _read_capped(response, max_bytes, deadline)
            return FetchedPage(url=url, body=body, charset=_charset(content_type))
        # Timeouts, refused connections, TLS and protocol errors, and URLs http.client cannot send (ValueError).
        except (OSError, ValueError, http.client.HTTPException) as exc:
            raise FetchError(f"{url} could not be fetched: {exc or type(exc).__name__}.") from exc
        finally:
            conn.close()
    raise FetchError(f"More than {max_redirects} redirects; gave up at {url}.")


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None
