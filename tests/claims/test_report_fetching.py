"""Submitting a report by URL fetches someone else's page: no way of writing an address, no redirect and no DNS answer
may turn that fetch towards our own network, and no server may hold a worker past the limits.

The internet is played by a fake DNS table and a real HTTP server on 127.0.0.1: only netguard.lookup and
netguard.open_connection are replaced, so every address check runs as in production. The only address that connects
anywhere is the public stand-in, which reaches the loopback server; any other connection attempt is recorded and
refused, so a policy gap shows as a connection in `internet.connected`, never as traffic to a real private address.
"""

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core import netguard
from core.fetching import FetchError, RefusedTarget, fetch_html

PUBLIC_IP = ipaddress.ip_address("93.184.215.14")
PUBLIC_HOST = "reports.example.com"
PAGE = b"<html><head><title>Story</title></head><body><p>A story.</p></body></html>"
DNS = {
    PUBLIC_HOST: [PUBLIC_IP],
    "intranet.example.com": [ipaddress.ip_address("10.0.0.5")],
    "metadata.example.com": [ipaddress.ip_address("169.254.169.254")],
    "loopback.example.com": [ipaddress.ip_address("127.0.0.1")],
    "mixed.example.com": [PUBLIC_IP, ipaddress.ip_address("10.0.0.7")],
    "mixed6.example.com": [PUBLIC_IP, ipaddress.ip_address("::1")],
}


class Publisher:
    """A loopback HTTP server whose answers are functions of the request handler, so they can misbehave."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.paths: list[str] = []
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                publisher.paths.append(self.path)
                publisher.routes.get(self.path, _not_found)(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def url(self, path: str, host: str = PUBLIC_HOST) -> str:
        return f"http://{host}:{self.port}{path}"

    def page(self, path: str, body: bytes = PAGE, content_type: str = "text/html; charset=utf-8") -> str:
        self.routes[path] = lambda h: _answer(h, 200, body, {"Content-Type": content_type})
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.routes[path] = lambda h: _answer(h, status, b"", {"Location": location, "Content-Type": "text/plain"})
        return self.url(path)

    def __enter__(self) -> "Publisher":
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _answer(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
    handler.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **headers}.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _not_found(handler: BaseHTTPRequestHandler) -> None:
    _answer(handler, 404, b"not found", {"Content-Type": "text/plain"})


def _trickle(handler: BaseHTTPRequestHandler, data: bytes, interval: float) -> None:
    """Send one byte at a time; bounded, and it stops as soon as the client hangs up."""
    for index in range(len(data)):
        try:
            handler.wfile.write(data[index : index + 1])
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(interval)


@dataclass
class Internet:
    connected: list = field(default_factory=list)  # every address a connection was attempted to


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch):
    """Whatever happens, these tests never ask a real DNS server: only address literals resolve."""
    real = socket.getaddrinfo

    def numeric_only(host, port, family=0, type=0, proto=0, flags=0):
        return real(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)

    monkeypatch.setattr(socket, "getaddrinfo", numeric_only)


@pytest.fixture
def web():
    with Publisher() as server:
        yield server


@pytest.fixture
def internet(monkeypatch, web):
    net = Internet()

    real_lookup = netguard.lookup  # for address literals it reads them as the C library does; names fail below

    def lookup(host, port):
        return DNS[host] if host in DNS else real_lookup(host, port)

    def open_connection(ip, port, timeout):
        net.connected.append(ip)
        if ip != PUBLIC_IP:
            raise ConnectionRefusedError(f"{ip} is not reachable from the test network")
        return socket.create_connection(("127.0.0.1", port), timeout=timeout)

    monkeypatch.setattr(netguard, "lookup", lookup)
    monkeypatch.setattr(netguard, "open_connection", open_connection)
    return net


def test_it_fetches_a_public_page(web, internet):
    url = web.page("/news/story")

    page = fetch_html(url)

    assert page.body == PAGE
    assert internet.connected == [PUBLIC_IP]


PRIVATE_HOSTS = {
    "private 10/8": "10.0.0.1",
    "private 10/8 top": "10.255.255.254",
    "private 172.16/12": "172.16.0.1",
    "private 172.16/12 top": "172.31.255.254",
    "private 192.168/16": "192.168.1.1",
    "loopback": "127.0.0.1",
    "loopback elsewhere in 127/8": "127.8.9.10",
    "loopback short form": "127.1",
    "loopback three parts": "127.0.1",
    "unspecified": "0.0.0.0",
    "unspecified short form": "0",
    "this network 0/8": "0.1.2.3",
    "cloud metadata (link-local)": "169.254.169.254",
    "multicast": "224.0.0.1",
    "reserved 240/4": "240.0.0.1",
    "broadcast": "255.255.255.255",
    "carrier-grade NAT": "100.64.0.1",
    "benchmarking 198.18/15": "198.18.0.1",
    "IPv6 loopback": "[::1]",
    "IPv6 unspecified": "[::]",
    "IPv6 link-local": "[fe80::1]",
    "IPv6 link-local with zone": "[fe80::1%25eth0]",
    "IPv6 unique local": "[fc00::1]",
    "IPv6 unique local fd": "[fd12:3456::1]",
    "IPv6 site-local": "[fec0::1]",
    "IPv6 multicast": "[ff02::1]",
    "IPv4-mapped loopback": "[::ffff:127.0.0.1]",
    "IPv4-mapped private": "[::ffff:10.0.0.1]",
    "IPv4-mapped in hex": "[::ffff:7f00:1]",
    "IPv4-compatible loopback": "[::127.0.0.1]",
    "NAT64 loopback": "[64:ff9b::7f00:1]",
    "NAT64 private": "[64:ff9b::a00:1]",
    "NAT64 metadata": "[64:ff9b::a9fe:a9fe]",
    "local-use NAT64": "[64:ff9b:1::a00:1]",
    "6to4 loopback": "[2002:7f00:1::1]",
    "6to4 private": "[2002:a00:1::]",
    "Teredo": "[2001:0:4136:e378::1]",
    "decimal loopback": "2130706433",
    "decimal private": "167772161",
    "decimal metadata": "2852039166",
    "octal loopback": "0177.0.0.1",
    "octal private": "0300.0250.0.1",
    "hex loopback": "0x7f.0.0.1",
    "hex whole": "0x7f000001",
    "octal whole": "017700000001",
    "hex short form": "0x7f.1",
    "private short form": "10.1",
    "full-width digits": "\uff11\uff12\uff17.\uff10.\uff10.\uff11",  # NFKC makes them 127.0.0.1
    "hostname for a private address": "intranet.example.com",
    "hostname for the metadata address": "metadata.example.com",
    "hostname for loopback": "loopback.example.com",
    "hostname with one public and one private address": "mixed.example.com",
    "hostname with one public and one IPv6 loopback address": "mixed6.example.com",
}


@pytest.mark.parametrize("host", PRIVATE_HOSTS.values(), ids=PRIVATE_HOSTS.keys())
def test_it_refuses_every_way_of_naming_a_non_public_address(web, internet, host):
    web.page("/secret")

    with pytest.raises(RefusedTarget):
        fetch_html(f"http://{host}:{web.port}/secret")

    assert internet.connected == []
    assert web.paths == []


@pytest.mark.parametrize("host", ["10.0.0.1", "[::1]", "2130706433"])
def test_it_refuses_them_over_https_too(internet, host):
    with pytest.raises(RefusedTarget):
        fetch_html(f"https://{host}/secret")

    assert internet.connected == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "ftp://reports.example.com/story.html",
        "gopher://reports.example.com:70/_GET%20/",
        "javascript:alert(document.domain)",
        "data:text/html,<h1>story</h1>",
        "dict://reports.example.com:11211/stats",
        "ws://reports.example.com/socket",
        "//reports.example.com/story",
        "reports.example.com/story",
    ],
)
def test_it_refuses_schemes_other_than_http_and_https(internet, url):
    with pytest.raises(RefusedTarget, match="Only http and https"):
        fetch_html(url)

    assert internet.connected == []


@pytest.mark.parametrize(
    "userinfo", ["user:secret@", "user@", ":secret@", "reports.example.com@", "user%40corp:p%3Ass@"]
)
def test_it_refuses_credentials_in_the_url(web, internet, userinfo):
    web.page("/story")

    with pytest.raises(RefusedTarget, match="user name or password"):
        fetch_html(f"http://{userinfo}{PUBLIC_HOST}:{web.port}/story")

    assert internet.connected == []


def test_it_refuses_a_public_looking_name_in_the_user_part_before_a_private_host(web, internet):
    with pytest.raises(RefusedTarget):
        fetch_html(f"http://{PUBLIC_HOST}@127.0.0.1:{web.port}/story")

    assert internet.connected == []


REDIRECT_TARGETS = {
    "private address": "http://10.0.0.1/admin",
    "loopback": "http://127.0.0.1:8000/admin/",
    "loopback in decimal": "http://2130706433/",
    "IPv6 loopback": "http://[::1]/",
    "IPv4-mapped": "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "cloud metadata": "http://169.254.169.254/latest/meta-data/",
    "scheme-relative private": "//192.168.0.1/router",
    "private hostname": "http://intranet.example.com/wiki",
    "hostname with a private answer among public ones": "http://mixed.example.com/",
    "file": "file:///etc/passwd",
    "gopher": "gopher://127.0.0.1:6379/_INFO",
    "credentials": f"http://admin:admin@{PUBLIC_HOST}/",
}


@pytest.mark.parametrize("location", REDIRECT_TARGETS.values(), ids=REDIRECT_TARGETS.keys())
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_it_refuses_a_redirect_from_a_public_page_to_a_private_target(web, internet, location, status):
    url = web.redirect("/moved", location, status=status)

    with pytest.raises(RefusedTarget):
        fetch_html(url)

    assert web.paths == ["/moved"]
    assert internet.connected == [PUBLIC_IP]


def test_it_follows_a_redirect_between_public_pages(web, internet):
    web.redirect("/old", "/new")
    web.page("/new")

    page = fetch_html(web.url("/old"))

    assert page.url == web.url("/new")
    assert web.paths == ["/old", "/new"]


@pytest.mark.parametrize("declared", [True, False], ids=["with Content-Length", "without Content-Length"])
def test_it_refuses_a_body_larger_than_the_cap(web, internet, declared):
    body = b"<html><body>" + b"x" * 5000 + b"</body></html>"

    def big(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        if declared:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)  # HTTP/1.0: without a length, the body ends when the connection closes

    web.routes["/big"] = big

    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetch_html(web.url("/big"), max_bytes=1000)


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "text/plain",
        "image/svg+xml",
        "application/pdf",
        "application/octet-stream",
        "",
        "text/htmlx",
    ],
)
def test_it_refuses_what_is_not_an_html_page(web, internet, content_type):
    url = web.page("/data", b"<html><body>looks like HTML</body></html>", content_type=content_type)

    with pytest.raises(FetchError, match="not an HTML page"):
        fetch_html(url)


def test_it_gives_up_on_a_server_that_trickles_the_body_past_the_time_limit(web, internet):
    body = b"<html><body>" + b"x" * 100 + b"</body></html>"

    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        _trickle(handler, body, interval=0.05)  # each byte well within the socket timeout; 6 s in all

    web.routes["/slow"] = trickle
    started = time.monotonic()

    with pytest.raises(FetchError, match="too long"):
        fetch_html(web.url("/slow"), timeout=0.5)

    assert time.monotonic() - started < 2.0


def test_it_gives_up_on_a_server_that_trickles_its_headers(web, internet):
    def trickle(handler):
        _trickle(handler, b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 100, interval=0.05)

    web.routes["/slow-headers"] = trickle
    started = time.monotonic()

    with pytest.raises(FetchError, match="too long"):
        fetch_html(web.url("/slow-headers"), timeout=0.5)

    assert time.monotonic() - started < 2.0


def test_it_gives_up_on_a_server_that_says_nothing(web, internet):
    web.routes["/silent"] = lambda handler: time.sleep(3)
    started = time.monotonic()

    with pytest.raises(FetchError):
        fetch_html(web.url("/silent"), timeout=0.3)

    assert time.monotonic() - started < 2.0


def test_it_gives_up_after_too_many_redirects(web, internet):
    for hop in range(5):
        web.redirect(f"/hop{hop}", f"/hop{hop + 1}")
    web.page("/hop5")

    with pytest.raises(FetchError, match="More than 3 redirects"):
        fetch_html(web.url("/hop0"))

    assert web.paths == ["/hop0", "/hop1", "/hop2", "/hop3"]


def test_it_gives_up_on_a_redirect_loop(web, internet):
    web.redirect("/loop", "/loop")

    with pytest.raises(FetchError, match="More than 3 redirects"):
        fetch_html(web.url("/loop"))

    assert len(web.paths) == 4
