"""HTTP: the threading server that can cut its connections, and the request handler that
applies scripted faults and routes /v1/models and /v1/chat/completions."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from .model import RequestRecord
from .protocol import _AUTH_ERROR, _default_error_body, _guess_content_type, _Reply, _vllm_error

if TYPE_CHECKING:
    from .server import SimulatorServer

# Upper bound on a request body; real gateways refuse huge uploads long before the model.
MAX_BODY_BYTES = 64 * 1024 * 1024


class _HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its simulator and can cut its open connections."""

    daemon_threads = True
    # Keep-alive handler threads wait for the client's next request; joining them on close
    # would hang until every client disconnects, so close() cuts the sockets instead.
    block_on_close = False

    def __init__(self, host: str, port: int, simulator: SimulatorServer):
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.simulator = simulator
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out or go away mid-answer are part of what we simulate.
        if not isinstance(_current_exception(), (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _current_exception() -> BaseException | None:
    return sys.exc_info()[1]


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, like uvicorn in front of vLLM (httpx reuses connections)."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm
    # and the client's delayed ACK add ~40 ms to every keep-alive response, which would
    # make a "1 s" server look like a 1.08 s one in the benchmarks.
    disable_nagle_algorithm = True
    server_version = "qwen-vl-simulator/1.0"
    sys_version = ""
    server: _HTTPServer

    @property
    def simulator(self) -> SimulatorServer:
        return self.server.simulator

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        if self.simulator.log_requests:
            super().log_message(format, *args)

    # -- plumbing

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, body, headers=headers)

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            raise _Reply(411, {"error": {"message": "Content-Length required", "code": 411}})
        try:
            size = int(length)
        except ValueError:
            raise _Reply(400, {"error": {"message": "bad Content-Length", "code": 400}}) from None
        if size > MAX_BODY_BYTES:
            raise _Reply(413, {"error": {"message": "request body too large", "code": 413}})
        return self.rfile.read(size)

    def _drop(self) -> None:
        """Close the connection without a byte of answer (a crashed or restarted server)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _route(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/")

    # -- endpoints

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        path = self._route()
        if path == "/health":
            self._send(200, b"", content_type="text/plain")
        elif path == "/v1/models":
            if not self.simulator.authorised(self.headers.get("Authorization")):
                self._send_json(401, _AUTH_ERROR)
                return
            created = int(time.time())
            data = [
                {
                    "id": name,
                    "object": "model",
                    "created": created,
                    "owned_by": "vllm",
                    "root": name,
                    "parent": None,
                }
                for name in self.simulator.model.models
            ]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_json(404, {"detail": "Not Found"})

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        if self._route() != "/v1/chat/completions":
            # Drain the body so the keep-alive connection stays usable.
            try:
                self._read_body()
            except _Reply:
                self.close_connection = True
            self._send_json(404, {"detail": "Not Found"})
            return
        self._chat_completions()

    def _chat_completions(self) -> None:
        sim = self.simulator
        headers = {k: v for k, v in self.headers.items() if k.lower() != "authorization"}
        record = RequestRecord(received_at=time.time(), headers=headers)
        sim._record(record)
        try:
            raw = self._read_body()
        except _Reply as reply:
            self.close_connection = True
            record.status = reply.status
            self._send_json(reply.status, reply.body)
            return
        # The gateway checks the key before anything reaches the model (no fault consumed).
        if not sim.authorised(self.headers.get("Authorization")):
            record.status = 401
            self._send_json(401, _AUTH_ERROR)
            return

        fault = sim._next_fault()
        record.fault = fault
        extra = dict(fault.headers) if fault else {}
        if fault is not None:
            sim._sleep(fault.delay)
            if fault.drop:
                self._drop()
                return
            if fault.body is not None:
                body = fault.body.encode("utf-8") if isinstance(fault.body, str) else fault.body
                record.status = fault.status
                content_type = _guess_content_type(body)
                for name in list(extra):
                    if name.lower() == "content-type":
                        content_type = extra.pop(name)
                self._send(fault.status, body, content_type, extra)
                return
            if fault.status != 200 and fault.content is None:
                record.status = fault.status
                self._send_json(fault.status, _default_error_body(fault.status), extra)
                return

        try:
            try:
                payload = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise _vllm_error(400, f"the request body is not valid JSON: {exc}") from exc
            answer = sim.complete(payload, record, fault)
        except _Reply as reply:
            record.status = reply.status
            self._send_json(reply.status, reply.body, extra)
            return
        status = fault.status if fault is not None else 200
        record.status = status
        self._send_json(status, answer.envelope(), extra)
