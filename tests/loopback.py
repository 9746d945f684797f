"""A threaded HTTP(S) test server on one loopback address, with routes a test can change.

Shared by the tests of photo downloads (test_fetch.py) and of typed model endpoints
(test_endpoint_connection.py): both need servers on 127.0.0.1 and 127.0.0.2, the second on
the same port, so that only the address tells them apart.
"""

from __future__ import annotations

import http.server
import socketserver
import ssl
import threading
from collections.abc import Callable


class LoopbackServer(http.server.ThreadingHTTPServer):
    """Subclasses set ``handler`` and ``default_routes()``; ``requests`` is what was seen."""

    __test__ = False  # not a pytest test class
    daemon_threads = True
    handler: type[http.server.BaseHTTPRequestHandler]

    def __init__(self, host: str, port: int = 0, tls: ssl.SSLContext | None = None) -> None:
        super().__init__((host, port), self.handler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.host, self.port = host, self.server_address[1]
        self.scheme = "https" if tls else "http"
        self.routes: dict[str, Callable] = {}
        self.requests: list = []
        self.reset()
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look up the host's name (a DNS query for 127.0.0.2).
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up mid-body is exactly what several tests want

    def default_routes(self) -> dict[str, Callable]:
        return {}

    def reset(self) -> None:
        self.routes = self.default_routes()
        self.requests.clear()

    def url(self, path: str, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def server_pair(make: Callable[..., LoopbackServer]):
    """Servers on 127.0.0.1 and 127.0.0.2, on the same port when it is free on both."""
    first = make("127.0.0.1")
    try:
        second = make("127.0.0.2", first.port)
    except OSError:
        second = make("127.0.0.2")
    return first, second
