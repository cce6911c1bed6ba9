"""The page fetcher behind the ClaimReview importer: it reads other publishers' pages and never reaches inside our
network (SSRF), not directly, not through a redirect, not through a second DNS answer."""

import ipaddress
import shutil
import socket
import ssl
import subprocess

import pytest

from core import netguard
from core.fetching import FetchError, RefusedTarget, fetch_html
from tests.factcheck.local_http import PUBLIC_IP, LocalWeb, route_to_local_web

PAGE = "<html><body><h1>A fact-check</h1></body></html>"
PUBLIC_HOST = "news.example.com"


@pytest.fixture
def web():
    with LocalWeb() as server:
        yield server


@pytest.fixture
def allow_local(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True


@pytest.fixture
def internet(monkeypatch, web):
    """PUBLIC_HOST resolves to a public address that reaches our server; returns the addresses connected to."""
    return route_to_local_web(monkeypatch, PUBLIC_HOST)


def test_it_fetches_an_html_page(web, allow_local):
    url = web.serve("/fact-check", PAGE, content_type="text/html; charset=ISO-8859-1")

    page = fetch_html(url)

    assert page.body == PAGE.encode()
    assert page.charset == "iso-8859-1"
    assert page.url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.8.9.10/",
        "http://10.1.2.3/",
        "http://172.16.0.5/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[fc00::5]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::a00:1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://100.64.0.1/",
        "http://localhost/",
    ],
)
def test_it_refuses_private_loopback_link_local_and_reserved_addresses(url):
    with pytest.raises(RefusedTarget):
        fetch_html(url)


def test_it_refuses_before_connecting(web):
    url = web.serve("/secret", "internal")

    with pytest.raises(RefusedTarget, match="non-public address"):
        fetch_html(url)

    assert web.requests == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/", "/relative"])
def test_it_refuses_schemes_other_than_http(url):
    with pytest.raises(RefusedTarget, match="Only http and https"):
        fetch_html(url)


def test_it_refuses_urls_with_credentials():
    with pytest.raises(RefusedTarget, match="user name or password"):
        fetch_html("http://admin:secret@news.example.com/")


def test_it_fetches_a_public_host_and_sends_its_name(web, internet):
    web.serve("/story", PAGE)

    page = fetch_html(f"http://{PUBLIC_HOST}:{web.port}/story")

    assert page.body == PAGE.encode()
    assert internet == [PUBLIC_IP]
    assert web.requests == [{"path": "/story", "host": f"{PUBLIC_HOST}:{web.port}"}]


@pytest.mark.parametrize("target", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]"])
def test_it_refuses_a_redirect_into_the_private_network(web, internet, target):
    web.serve("/secret", "internal")
    web.redirect("/moved", f"http://{target}:{web.port}/secret")

    with pytest.raises(RefusedTarget):
        fetch_html(f"http://{PUBLIC_HOST}:{web.port}/moved")

    assert web.paths_requested() == ["/moved"]
    assert internet == [PUBLIC_IP]


def test_it_refuses_a_redirect_to_another_scheme(web, internet):
    web.redirect("/moved", "file:///etc/passwd")

    with pytest.raises(RefusedTarget, match="Only http and https"):
        fetch_html(f"http://{PUBLIC_HOST}:{web.port}/moved")


def test_it_refuses_a_host_with_any_private_address(monkeypatch):
    # A hostile DNS server answering with a public and a private address must not get to pick the private one.
    monkeypatch.setattr(netguard, "lookup", lambda host, port: [PUBLIC_IP, ipaddress.ip_address("10.0.0.7")])

    with pytest.raises(RefusedTarget, match=r"10\.0\.0\.7"):
        fetch_html("http://rebind.example.com/")


def test_it_connects_to_the_address_it_checked(web, internet, monkeypatch):
    # DNS rebinding: the name resolves to a public address for the check, then to loopback. Only one answer is used.
    answers = [[PUBLIC_IP], [ipaddress.ip_address("127.0.0.1")]]
    monkeypatch.setattr(netguard, "lookup", lambda host, port: answers.pop(0))
    web.serve("/page", PAGE)

    fetch_html(f"http://rebind.example.com:{web.port}/page")

    assert internet == [PUBLIC_IP]
    assert len(answers) == 1  # the second, private answer was never asked for


def test_it_follows_up_to_three_redirects_relative_or_absolute(web, allow_local):
    web.redirect("/a", "/b", status=301)
    web.redirect("/b", web.url("/c"), status=307)
    web.redirect("/c", "d", status=308)
    web.serve("/d", PAGE)

    page = fetch_html(web.url("/a"))

    assert page.url == web.url("/d")
    assert web.paths_requested() == ["/a", "/b", "/c", "/d"]


def test_it_gives_up_after_three_redirects(web, allow_local):
    for hop in range(4):
        web.redirect(f"/{hop}", f"/{hop + 1}")
    web.serve("/4", PAGE)

    with pytest.raises(FetchError, match="More than 3 redirects"):
        fetch_html(web.url("/0"))

    assert "/4" not in web.paths_requested()


@pytest.mark.parametrize("content_type", ["application/json", "image/png", "text/plain", ""])
def test_it_refuses_what_is_not_html(web, allow_local, content_type):
    url = web.serve("/data", "{}", content_type=content_type)

    with pytest.raises(FetchError, match="not an HTML page"):
        fetch_html(url)


def test_it_refuses_a_page_larger_than_the_limit(web, allow_local):
    url = web.serve("/big", "x" * 2000)

    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetch_html(url, max_bytes=1000)


def test_its_default_limit_is_five_megabytes(web, allow_local):
    url = web.serve("/huge", b"x" * (5 * 1024 * 1024 + 1))

    with pytest.raises(FetchError, match="larger than"):
        fetch_html(url)


def test_it_gives_up_on_a_slow_server(web, allow_local):
    url = web.serve("/slow", PAGE, delay=1.0)

    with pytest.raises(FetchError, match="could not be fetched"):
        fetch_html(url, timeout=0.2)


def test_it_reports_error_statuses(web, allow_local):
    url = web.serve("/gone", "gone", status=410)

    with pytest.raises(FetchError, match="HTTP 410"):
        fetch_html(url)


def test_it_reports_a_closed_port(allow_local):
    with socket.socket() as probe:  # a port nobody listens on any more
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(FetchError, match="could not be fetched"):
        fetch_html(f"http://127.0.0.1:{port}/")


# HTTPS: the socket goes to the checked address, while SNI and the certificate check use the host name.


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A throwaway CA and a certificate it signed for PUBLIC_HOST, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    folder = tmp_path_factory.mktemp("tls")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    )
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "site.key", "-out", "site.csr", "-subj", f"/CN={PUBLIC_HOST}"
    )
    (folder / "san.ext").write_text(f"subjectAltName=DNS:{PUBLIC_HOST}\n")
    openssl(
        "x509",
        "-req",
        "-in",
        "site.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "site.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    )
    return folder


@pytest.fixture
def tls_web(certificates):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates / "site.pem", certificates / "site.key")
    with LocalWeb(tls=context) as server:
        yield server


@pytest.fixture
def https_internet(monkeypatch, tls_web):
    """Like `internet`, for the TLS server; returns the addresses connected to."""
    connected = []

    def open_connection(ip, port, timeout):
        connected.append(ip)
        return socket.create_connection(("127.0.0.1", port), timeout=timeout)

    monkeypatch.setattr(netguard, "lookup", lambda host, port: [PUBLIC_IP])
    monkeypatch.setattr(netguard, "open_connection", open_connection)
    return connected


def test_it_fetches_over_https_checking_the_certificate_of_the_host_name(
    tls_web, https_internet, certificates, monkeypatch
):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates / "ca.pem"))  # trust our throwaway CA, as if public
    tls_web.serve("/secure", PAGE)

    page = fetch_html(f"https://{PUBLIC_HOST}:{tls_web.port}/secure")

    assert page.body == PAGE.encode()
    assert https_internet == [PUBLIC_IP]


def test_it_refuses_a_certificate_it_cannot_trust(tls_web, https_internet):
    tls_web.serve("/secure", PAGE)

    with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch_html(f"https://{PUBLIC_HOST}:{tls_web.port}/secure")


def test_it_refuses_a_certificate_for_another_name(tls_web, https_internet, certificates, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates / "ca.pem"))
    tls_web.serve("/secure", PAGE)

    with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch_html(f"https://other.example.org:{tls_web.port}/secure")
