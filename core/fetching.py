"""Fetch another publisher's HTML page without letting a URL reach into our own network (SSRF).

Every hop (the first request and each redirect) goes through core.netguard, the one address policy and pinned
client that webhook delivery uses too: http(s) only, the host is resolved once and every address it resolves to must
be public, and the connection goes to that checked address, so a second DNS answer (rebinding) cannot swap in a
private one between check and connect. Bodies are capped and must be HTML, and the whole fetch, headers and body
included, ends at one deadline however slowly the server sends.
"""

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings

from core import netguard
from core.text import whole_number

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = 3
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "FactcheckDesk-ClaimReviewImporter/1.0"
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


class FetchError(Exception):
    """The page could not be fetched; the message says why, in words an editor understands."""


class RefusedTarget(FetchError):
    """The URL points somewhere we never connect to (a private address, a non-web scheme)."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # where the body came from, after redirects
    body: bytes
    charset: str | None


def _checked_target(url: str) -> netguard.Target:
    """Validate one hop with the project's address policy, in the importer's words."""
    try:
        return netguard.resolve(url, allow_private=settings.FETCH_ALLOW_PRIVATE_HOSTS)
    except netguard.Unresolvable as exc:
        raise FetchError(str(exc)) from exc
    except netguard.UnsafeTarget as exc:
        raise RefusedTarget(f"{exc} It is not fetched.") from exc


def _read_capped(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    declared = response.getheader("Content-Length")
    if (announced := whole_number(declared or "", digits=30)) is not None and announced > max_bytes:
        raise FetchError(f"The page is larger than {max_bytes} bytes.")
    chunks, size = [], 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"The page is larger than {max_bytes} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _page(url: str, response: http.client.HTTPResponse, max_bytes: int) -> FetchedPage:
    if response.status != 200:
        raise FetchError(f"{url} answered HTTP {response.status}.")
    content_type = response.getheader("Content-Type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in HTML_TYPES:
        raise FetchError(f"{url} is {media_type or 'of no declared type'}, not an HTML page.")
    body = _read_capped(response, max_bytes)
    return FetchedPage(url=url, body=body, charset=_charset(content_type))


def fetch_html(
    url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS, max_redirects: int = MAX_REDIRECTS
) -> FetchedPage:
    """GET an HTML page, following at most `max_redirects` redirects, each checked like the first URL."""
    deadline = time.monotonic() + timeout
    for _hop in range(max_redirects + 1):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"Gave up on {url}: the redirects took too long.")
        target = _checked_target(url)
        conn = netguard.connect(target, timeout=remaining)
        try:
            with _hard_deadline(url, deadline) as watched:
                conn.connect()  # bounded by the connection's own timeout
                watched.append(conn.sock)  # held here: http.client lets go of it once an HTTP/1.0 answer starts
                response = _get(conn, target)
                if response.status not in _REDIRECTS:
                    return _page(url, response, max_bytes)
                location = response.getheader("Location")
        # Timeouts, refused connections, TLS and protocol errors, and URLs http.client cannot send (ValueError).
        except (OSError, ValueError, http.client.HTTPException) as exc:
            raise FetchError(f"{url} could not be fetched: {exc or type(exc).__name__}.") from exc
        finally:
            conn.close()
        if not location:
            raise FetchError(f"{url} answered a redirect without a Location.")
        url = urljoin(url, location.strip())
    raise FetchError(f"More than {max_redirects} redirects; gave up at {url}.")


def _get(conn: http.client.HTTPConnection, target: netguard.Target) -> http.client.HTTPResponse:
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml",
        "Accept-Encoding": "identity",  # http.client does not decompress; a gzip bomb stays out
    }
    conn.request("GET", target.path, headers=headers)
    return conn.getresponse()


@contextmanager
def _hard_deadline(url: str, deadline: float) -> Iterator[list[socket.socket]]:
    """Cut the watched sockets at the deadline. A socket timeout bounds each read, not the whole answer: a server
    sending a byte a second would hold a worker for hours, in the headers as well as in the body."""
    expired, watched = threading.Event(), []

    def cut() -> None:
        expired.set()
        for sock in watched:
            with suppress(OSError):  # the plain socket's shutdown, also under TLS: a blocked read ends at once
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    timer = threading.Timer(max(0.0, deadline - time.monotonic()), cut)
    timer.daemon = True
    timer.start()
    try:
        yield watched
    except (OSError, ValueError, http.client.HTTPException) as exc:
        if expired.is_set():
            raise FetchError(f"{url} could not be fetched: it took too long to download.") from exc
        raise
    finally:
        timer.cancel()
    if expired.is_set():  # a body read to the end of the connection looks complete after the cut
        raise FetchError(f"{url} could not be fetched: it took too long to download.")


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None
