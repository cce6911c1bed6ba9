"""A real HTTP server on 127.0.0.1 in a thread, serving pages a test defines: the "other publisher" for fetch tests.

There is no internet here, and a real server exercises the fetcher's sockets, headers and redirects for real.
"""

import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from core import netguard


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class LocalWeb:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[dict] = []  # what arrived: {"path", "host"}
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                web.requests.append({"path": self.path, "host": self.headers.get("Host")})
                page = web.pages.get(self.path) or Page(b"not found", status=404, content_type="text/plain")
                if page.delay:
                    time.sleep(page.delay)
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                for name, value in page.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:  # HTTPS; a failed handshake is an OSError in accept(), which socketserver skips
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def serve(self, path: str, body: str | bytes = b"", **options) -> str:
        self.pages[path] = Page(body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.serve(path, status=status, content_type="text/plain", headers={"Location": location})

    def paths_requested(self) -> list[str]:
        return [r["path"] for r in self.requests]

    def __enter__(self) -> "LocalWeb":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


# A globally routable address standing in for a publisher's server; `route_to_local_web` delivers it to loopback.
PUBLIC_IP = ipaddress.ip_address("93.184.215.14")


def route_to_local_web(monkeypatch, host: str) -> list:
    """DNS and routing as on the internet: `host` resolves to PUBLIC_IP, whose connections reach the local server.

    Only netguard's two edge functions are replaced, so every address check runs unchanged; other names resolve as
    before. Returns the list of addresses connected to, which grows as the test runs.
    """
    real_lookup, connected = netguard.lookup, []

    def lookup(name, port):
        return [PUBLIC_IP] if name == host else real_lookup(name, port)

    def open_connection(ip, port, timeout):
        connected.append(ip)
        return socket.create_connection(("127.0.0.1" if ip == PUBLIC_IP else str(ip), port), timeout=timeout)

    monkeypatch.setattr(netguard, "lookup", lookup)
    monkeypatch.setattr(netguard, "open_connection", open_connection)
    return connected
