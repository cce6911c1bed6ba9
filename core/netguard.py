"""Outbound HTTP only to public addresses (SSRF protection): the one address policy of the project and the one
pinned-connection client on it, used by webhook delivery (`post`) and page fetching for imports (core/fetching.py).

A URL is checked by resolving its host and refusing it if any address is private, loopback, link-local, reserved,
multicast or unspecified, or embeds such an IPv4 address (IPv4-mapped, NAT64, 6to4). The request is then sent to
the address that was checked, never re-resolved, so a DNS answer that changes between the check and the connection
(DNS rebinding) cannot point it inward. A host written as an address, in any form the C library reads as one ("127.1",
"2130706433", "0x7f.0.0.1", "0177.0.0.1"), is read here and never sent to DNS. `lookup` and `open_connection` are the
only places that touch DNS and the network; tests replace them to stand in for the internet.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_PORTS = {"http": 80, "https": 443}
# NAT64 maps IPv4 into this prefix; the embedded IPv4 address decides where the packet really goes.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Never on the public internet, though this Python's ipaddress calls them global: site-local (deprecated, still
# routed inside some networks) and the IPv6 documentation prefix of RFC 9637.
_NOT_PUBLIC = (ipaddress.ip_network("fec0::/10"), ipaddress.ip_network("3fff::/20"))
_URL_SAFE = "/%:@!$&'()*+,;=-._~"


class UnsafeTarget(ValueError):
    """The URL may not be requested: wrong scheme or port, credentials, or it points at a non-public address."""


class Unresolvable(UnsafeTarget):
    """The host has no address right now; unlike the others this may pass (a DNS outage), so it is worth a retry."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # the request target, percent-encoded
    addresses: tuple[IPAddress, ...]  # the checked addresses, tried in order; nothing else is connected to


def is_public_address(address: str | IPAddress) -> bool:
    """True for addresses on the public internet; False for private, loopback, link-local, multicast, reserved."""
    # An IPv6 zone ("fe80::1%eth0") does not change where the address is.
    ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)  # ::ffff:127.0.0.1 is loopback too
        if ip in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        # A 6to4 relay unwraps 2002:AABB:CCDD:: to IPv4 AA.BB.CC.DD: 2002:7f00:1:: is loopback again.
        if ip.sixtofour is not None and not is_public_address(ip.sixtofour):
            return False
        if any(ip in network for network in _NOT_PUBLIC):
            return False
    # is_global alone lets multicast through, so each class is named.
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


def _literal(host: str, port: int) -> list[IPAddress]:
    """The address when `host` is one in any form the C library accepts; AI_NUMERICHOST never asks DNS."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError):
        return []
    return [ipaddress.ip_address(info[4][0]) for info in infos]


def written_address(host: str) -> IPAddress | None:
    """The address `host` spells in any form the C library reads ("127.1", "0x7f000001"), else None; no DNS."""
    found = _literal(unquote(host), 0)
    return found[0] if found else None


def lookup(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to (the DNS edge)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Unresolvable(f"The host {host!r} does not resolve.") from None
    return [ipaddress.ip_address(info[4][0]) for info in infos]


def open_connection(ip: IPAddress, port: int, timeout: float) -> socket.socket:
    """Open a TCP connection to an already checked address (the network edge)."""
    return socket.create_connection((str(ip), port), timeout=timeout)


def _port(parts, scheme: str) -> int:
    try:
        port = parts.port  # None when absent; ValueError when not a number or above 65535
    except ValueError:
        port = 0
    if port is None:
        return DEFAULT_PORTS[scheme]
    if not 0 < port <= 65535:  # port 0 means "any port" to the socket layer, never a receiver
        raise UnsafeTarget("The URL's port must be a number from 1 to 65535.")
    return port


def _request_path(parts) -> str:
    """Percent-encoded: a URL pasted with spaces or accents still makes a valid request line."""
    path = quote(parts.path or "/", safe=_URL_SAFE)
    return path + (f"?{quote(parts.query, safe=_URL_SAFE + '?')}" if parts.query else "")


def _addresses(parts, host: str, port: int) -> list[IPAddress]:
    """The host's addresses: read from the URL when it is written as one, else from DNS."""
    # A zone in brackets comes percent-encoded ("[fe80::1%25eth0]").
    if literal := _literal(unquote(host), port):
        return literal
    if parts.netloc.rpartition("@")[2].startswith("["):  # brackets hold an address, never a name to look up
        raise UnsafeTarget(f"{host!r} is not a valid IPv6 address.")
    if addresses := lookup(host, port):
        return addresses
    raise Unresolvable(f"The host {host!r} does not resolve.")


def resolve(url: str, *, allow_private: bool = False) -> Target:
    """Check `url` and return where to connect; raises UnsafeTarget with a message fit for the caller."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeTarget(f"Only http and https URLs are allowed, not {scheme or 'a relative URL'!r}.")
    if not parts.hostname:
        raise UnsafeTarget("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("The URL may not carry a user name or password.")
    port, host = _port(parts, scheme), parts.hostname
    addresses = _addresses(parts, host, port)
    if not allow_private:
        # Refuse if any answer is private: connecting to "the public one" would let a hostile DNS server choose.
        refused = [a for a in addresses if not is_public_address(a)]
        if refused:
            raise UnsafeTarget(
                f"The host {host!r} resolves to {refused[0]}, a non-public address "
                "(private, loopback, link-local or reserved address ranges are refused)."
            )
    return Target(scheme, host, port, _request_path(parts), tuple(dict.fromkeys(addresses)))


class _PinnedMixin:
    """Connects to the checked address while Host, SNI and certificate checks use the URL's host name."""

    def __init__(self, host: str, port: int, addresses: tuple[IPAddress, ...], **kwargs) -> None:
        super().__init__(host, port, **kwargs)
        self._checked = addresses
        # CPython's http.client opens every socket through this attribute; replacing it changes only where we
        # connect, while TLS (server_hostname=host, certificate checks) and the Host header stay as they are.
        self._create_connection = self._connect_checked

    def _connect_checked(self, _address, timeout, source_address=None) -> socket.socket:
        error: OSError | None = None
        for address in self._checked:  # like socket.create_connection, the next address when one refuses
            try:
                return open_connection(address, self.port, timeout)
            except OSError as exc:
                error = exc
        raise error or OSError("no address to connect to")


class _PinnedHTTPConnection(_PinnedMixin, http.client.HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedMixin, http.client.HTTPSConnection):
    pass


def connect(target: Target, *, timeout: float) -> http.client.HTTPConnection:
    """A connection to the checked addresses of `target`; http.client never follows redirects on its own."""
    if target.scheme == "https":
        return _PinnedHTTPSConnection(
            target.host, target.port, target.addresses, timeout=timeout, context=ssl.create_default_context()
        )
    return _PinnedHTTPConnection(target.host, target.port, target.addresses, timeout=timeout)


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float, max_answer: int) -> tuple[int, bytes]:
    """POST once; redirects are not followed. Returns the status and the answer's start."""
    conn = connect(target, timeout=timeout)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(max_answer)
    finally:
        conn.close()
