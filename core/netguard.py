"""Server-side requests only to public addresses (SSRF protection): the one address policy of the project, used
by webhook delivery here and by page fetching for imports (factcheck/fetching.py).

A URL is checked by resolving its host and refusing it if any address is private, loopback, link-local, reserved,
multicast or unspecified. The request is then sent to the address that was checked, never re-resolved, so a DNS
answer that changes between the check and the connection (DNS rebinding) cannot point it inward.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
# NAT64 maps IPv4 into this prefix; the embedded IPv4 address decides where the packet really goes.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeTarget(ValueError):
    """The URL may not be requested: wrong scheme, credentials, or it points at a non-public address."""


class Unresolvable(UnsafeTarget):
    """The host has no address right now; unlike the others this may pass (a DNS outage), so it is worth a retry."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]  # the checked IP addresses, tried in order; nothing else is connected to


def is_public_address(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for addresses on the public internet; False for private, loopback, link-local, multicast, reserved."""
    # An IPv6 zone ("fe80::1%eth0") does not change where the address is.
    ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)  # ::ffff:127.0.0.1 is loopback too
        if ip in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    # is_global alone lets multicast through, so each class is named.
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


def resolve(url: str, *, allow_private: bool = False) -> Target:
    """Check `url` and return where to connect; raises UnsafeTarget with a message fit for the API caller."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeTarget("Only http and https URLs can receive webhooks.")
    if not parts.hostname:
        raise UnsafeTarget("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("The URL may not carry a user name or password; authenticate with the signature.")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise UnsafeTarget("The URL's port is not a number between 0 and 65535.") from None
    host = parts.hostname
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Unresolvable(f"The host {host!r} does not resolve.") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise Unresolvable(f"The host {host!r} does not resolve.")
    if not allow_private:
        refused = [a for a in addresses if not is_public_address(a)]
        if refused:
            raise UnsafeTarget(
                f"The host {host!r} resolves to {refused[0]}, a private, loopback, link-local or reserved address."
            )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=tuple(dict.fromkeys(addresses)))


class _PinnedMixin:
    """Connects to the checked address while Host, SNI and certificate checks use the URL's host name."""

    def __init__(self, host: str, port: int, addresses: tuple[str, ...], **kwargs) -> None:
        super().__init__(host, port, **kwargs)
        self._checked = addresses
        # CPython's http.client opens every socket through this attribute; replacing it changes only where we
        # connect, while TLS (server_hostname=host, certificate checks) and the Host header stay as they are.
        self._create_connection = self._connect_checked

    def _connect_checked(self, _address, timeout, source_address=None) -> socket.socket:
        error: OSError | None = None
        for address in self._checked:  # like socket.create_connection, the next address when one refuses
            try:
                return socket.create_connection((address, self.port), timeout, source_address)
            except OSError as exc:
                error = exc
        raise error or OSError("no address to connect to")


class _PinnedHTTPConnection(_PinnedMixin, http.client.HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedMixin, http.client.HTTPSConnection):
    pass


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float, max_answer: int) -> tuple[int, bytes]:
    """POST once; redirects are not followed (http.client never does). Returns the status and the answer's start."""
    if target.scheme == "https":
        conn: http.client.HTTPConnection = _PinnedHTTPSConnection(
            target.host, target.port, target.addresses, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = _PinnedHTTPConnection(target.host, target.port, target.addresses, timeout=timeout)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(max_answer)
    finally:
        conn.close()
