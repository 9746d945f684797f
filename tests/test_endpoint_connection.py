"""Tests for safety.net.endpoint_http_client: a model endpoint typed into the page.

The real openai client talks real HTTP, through the client under test, to small servers on
127.0.0.1 and 127.0.0.2. Nothing else is ever contacted: an autouse fixture fails the test
on any connection to another address (and records the ones it lets through), and the
resolver only knows "localhost", numeric hosts and the names a test defines.
"""

from __future__ import annotations

import contextlib
import http.server
import ipaddress
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from unittest import mock

import httpx
import openai
import pytest

from safety.errors import ConfigurationError
from safety.net import FetchPolicy, endpoint_http_client, transport
from tests.certs import TLSServer, tls_server
from tests.loopback import LoopbackServer, server_pair

SERVER_HOSTS = ("127.0.0.1", "127.0.0.2")
LOOPBACK = FetchPolicy(allowed_networks=("127.0.0.0/8",))
ONLY_FIRST = FetchPolicy(allowed_networks=("127.0.0.1/32",))
FIX = "start the app with QWEN_VL_BASE_URL set to that server"
REFUSED = "private, local or reserved network address"
MODELS = {
    "object": "list",
    "data": [{"id": "qwen-vl", "object": "model", "created": 0, "owned_by": "test"}],
}


# --------------------------------------------------------------------------------------
# Guards: nothing but the test servers, no real DNS
# --------------------------------------------------------------------------------------

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture(autouse=True)
def connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The addresses connected to; any other than the test servers fails the test."""
    made: list[str] = []

    def guarded_connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in SERVER_HOSTS:
            raise AssertionError(f"the code under test tried to connect to {address!r}")
        made.append(host)
        _real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    return made


@dataclass
class FakeDNS:
    """Answers for test names, in turn, the last one repeated (a rebinding DNS server).

    With ``hang`` set, lookups of those names wait until it is set; ``pending`` counts them.
    """

    names: dict[str, list[list[str]]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    hang: threading.Event | None = None
    pending: int = 0

    def getaddrinfo(self, host, port, *args, **kwargs):  # noqa: ANN001, ANN201 - socket's API
        host = host.decode() if isinstance(host, bytes) else host
        if host not in self.names:
            try:
                ipaddress.ip_address(host)
            except ValueError:
                if host != "localhost":
                    raise socket.gaierror(
                        socket.EAI_NONAME, f"no such test name {host!r}"
                    ) from None
            return _real_getaddrinfo(host, port, *args, **kwargs)
        self.lookups.append(host)
        if self.hang is not None:
            self.pending += 1
            self.hang.wait(60)
            self.pending -= 1
        answers = self.names[host]
        ips = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in ips]


@pytest.fixture(autouse=True)
def dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDNS]:
    fake = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    yield fake
    if fake.hang is not None:
        fake.hang.set()  # let a hanging lookup thread finish


@contextlib.contextmanager
def no_connections() -> Iterator[None]:
    """Any connection attempt at all fails the test: the refusal must come first."""

    def forbidden(sock: socket.socket, address: object) -> None:
        raise AssertionError(f"connected to {address!r} before refusing")

    with mock.patch.object(socket.socket, "connect", forbidden):
        yield


# --------------------------------------------------------------------------------------
# Test endpoints
# --------------------------------------------------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    host_header: str | None
    authorization: str | None


class Handler(http.server.BaseHTTPRequestHandler):
    server: Endpoint

    def _route(self) -> None:
        self.server.requests.append(
            Seen(
                self.command,
                self.path,
                self.headers.get("Host"),
                self.headers.get("Authorization"),
            )
        )
        route = self.server.routes.get(self.path.split("?")[0])
        if route is None:
            reply(self, 404, {"error": {"message": "not found"}})
        else:
            route(self)

    do_GET = do_POST = _route  # noqa: N815 - http.server's naming

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def reply(
    handler: Handler, status: int, payload: object, headers: tuple[tuple[str, str], ...] = ()
) -> None:
    body = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class Endpoint(LoopbackServer):
    """A tiny OpenAI-compatible server on one loopback address (HTTP/1.0: one connection
    per request, so every call makes a fresh connection)."""

    handler = Handler

    def default_routes(self) -> dict[str, Callable[[Handler], None]]:
        return {"/v1/models": lambda h: reply(h, 200, MODELS)}

    def url(self, path: str = "/v1", host: str | None = None) -> str:
        return super().url(path, host)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Endpoint, Endpoint]]:
    first, second = server_pair(Endpoint)
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture
def server(servers: tuple[Endpoint, Endpoint]) -> Endpoint:
    servers[0].reset()
    return servers[0]


@pytest.fixture
def other(servers: tuple[Endpoint, Endpoint]) -> Endpoint:
    servers[1].reset()
    return servers[1]


def model_client(base_url: str, policy: FetchPolicy, timeout: float = 10.0) -> openai.OpenAI:
    """The real openai client over the client under test, without retries."""
    return openai.OpenAI(
        base_url=base_url,
        api_key="x",
        max_retries=0,
        http_client=endpoint_http_client(base_url, policy, timeout=timeout),
    )


def model_ids(client: openai.OpenAI) -> list[str]:
    return [model.id for model in client.models.list()]


# --------------------------------------------------------------------------------------
# (a) Local endpoints are refused unless their network is allowed
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "0x7f.1", "[::ffff:127.0.0.1]"])
def test_a_loopback_endpoint_is_refused_without_the_allow_list(server: Endpoint, host: str) -> None:
    with no_connections(), pytest.raises(ConfigurationError) as info:
        endpoint_http_client(server.url("/v1", host), FetchPolicy(), timeout=10)
    message = str(info.value)
    assert REFUSED in message
    assert FIX in message and "SAFETY_ALLOWED_NETWORKS" in message
    assert server.requests == []


def test_the_allow_list_lets_only_its_networks_through(other: Endpoint) -> None:
    with no_connections(), pytest.raises(ConfigurationError, match=REFUSED):
        endpoint_http_client(other.url(), ONLY_FIRST, timeout=10)
    assert other.requests == []


def test_a_name_with_any_private_address_is_refused(dns: FakeDNS) -> None:
    # The public address comes first: checking only the first answer would accept it.
    dns.names["mixed.example"] = [["93.184.216.34", "10.0.0.7"]]
    with no_connections(), pytest.raises(ConfigurationError, match=f"points to a {REFUSED}"):
        endpoint_http_client("https://mixed.example/v1", FetchPolicy(), timeout=10)


def test_a_public_endpoint_needs_no_allow_list(dns: FakeDNS) -> None:
    dns.names["models.example"] = [["93.184.216.34"]]
    with no_connections():  # checking connects nowhere; the first request would
        client = endpoint_http_client("https://models.example/v1", FetchPolicy(), timeout=10)
    assert not client.follow_redirects and not client.trust_env
    client.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://models.example/v1", "The model endpoint URL for models.example must start with"),
        ("http://user:pw@models.example/v1", "contains a user name or password"),
        ("http:///v1", "The model endpoint URL has no host name, e.g. https://example.com/v1."),
        ("http://[fe80::1%25eth0]:8000/v1", FIX),
        ("", "Please enter a model endpoint URL"),
    ],
)
def test_unusable_base_urls_are_configuration_errors(url: str, message: str) -> None:
    with no_connections(), pytest.raises(ConfigurationError) as info:
        endpoint_http_client(url, FetchPolicy(), timeout=10)
    assert message in str(info.value)
    assert "photo" not in str(info.value)


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf"), None, True])
def test_the_timeout_must_be_a_positive_number(server: Endpoint, timeout: object) -> None:
    with pytest.raises(ConfigurationError, match="timeout must be a positive number"):
        endpoint_http_client(server.url(), LOOPBACK, timeout=timeout)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# (b) Allowed, the openai client works through it
# --------------------------------------------------------------------------------------


def test_an_allowed_endpoint_answers_the_openai_client(
    server: Endpoint, connections: list[str]
) -> None:
    with model_client(server.url(), LOOPBACK) as client:
        assert model_ids(client) == ["qwen-vl"]
    assert [(seen.method, seen.path) for seen in server.requests] == [("GET", "/v1/models")]
    assert server.requests[0].host_header == f"127.0.0.1:{server.port}"
    assert server.requests[0].authorization == "Bearer x"
    assert connections == ["127.0.0.1"]


def test_an_unusual_spelling_of_the_host_reaches_the_checked_address(
    server: Endpoint, connections: list[str]
) -> None:
    # openai builds its URLs from the base URL as typed; the transport must match them to
    # the checked origin however the host is spelled.
    with model_client(server.url("/v1", "0x7f.1"), LOOPBACK) as client:
        assert model_ids(client) == ["qwen-vl"]
    assert connections == ["127.0.0.1"]


def test_proxy_settings_in_the_environment_are_ignored(
    server: Endpoint, other: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = f"http://127.0.0.2:{other.port}"
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, proxy)
    with model_client(server.url(), LOOPBACK) as client:
        assert model_ids(client) == ["qwen-vl"]
    assert other.requests == []


# --------------------------------------------------------------------------------------
# (c) Redirects lead nowhere
# --------------------------------------------------------------------------------------


def test_a_redirect_from_the_endpoint_is_not_followed(
    server: Endpoint, other: Endpoint, connections: list[str]
) -> None:
    server.routes["/v1/models"] = lambda h: reply(
        h, 307, {}, (("Location", other.url("/v1/models")),)
    )
    with model_client(server.url(), LOOPBACK) as client:
        with pytest.raises(openai.APIStatusError) as info:
            model_ids(client)
    assert info.value.status_code == 307
    assert other.requests == []
    assert connections == ["127.0.0.1"]


def test_a_forced_redirect_still_cannot_leave_the_checked_origin(
    server: Endpoint, other: Endpoint, connections: list[str]
) -> None:
    # Even a caller that asks for redirects (openai can, per request) gets no further:
    # the transport refuses every origin but the checked one.
    server.routes["/v1/models"] = lambda h: reply(
        h, 307, {}, (("Location", other.url("/v1/models")),)
    )
    with endpoint_http_client(server.url(), LOOPBACK, timeout=10) as client:
        with pytest.raises(httpx.ConnectError, match="only connects to the model endpoint"):
            client.get(server.url("/v1/models"), follow_redirects=True)
        with pytest.raises(httpx.ConnectError, match="only connects to the model endpoint"):
            client.get(other.url("/v1/models"))
    assert other.requests == []
    assert connections == ["127.0.0.1"]


# --------------------------------------------------------------------------------------
# (d) DNS rebinding gains nothing
# --------------------------------------------------------------------------------------


def test_connections_go_to_the_checked_address_not_a_second_lookup(
    server: Endpoint, other: Endpoint, dns: FakeDNS, connections: list[str]
) -> None:
    # The first answer is allowed, every later one points elsewhere: a rebinding attack.
    dns.names["model.example"] = [["127.0.0.1"], ["127.0.0.2"]]
    other.routes["/v1/models"] = lambda h: reply(h, 200, {"object": "list", "data": []})
    base_url = server.url("/v1", "model.example")
    with model_client(base_url, FetchPolicy(allowed_networks=("127.0.0.1/32",))) as client:
        for _ in range(3):  # a fresh connection each time: the server speaks HTTP/1.0
            assert model_ids(client) == ["qwen-vl"]
    assert dns.lookups == ["model.example"]  # once, when the client was made
    assert connections == ["127.0.0.1"] * 3
    assert other.requests == []
    # The server still learns which site was asked for.
    assert {seen.host_header for seen in server.requests} == {f"model.example:{server.port}"}


# --------------------------------------------------------------------------------------
# (e) A name that does not resolve in time
# --------------------------------------------------------------------------------------


@pytest.mark.timeout(30)  # a safety net: waiting for the lookup would hang until released
def test_a_hanging_dns_lookup_is_cut_off(dns: FakeDNS) -> None:
    dns.names["slow-dns.example"] = [["93.184.216.34"]]
    dns.hang = threading.Event()
    with no_connections(), pytest.raises(ConfigurationError) as info:
        endpoint_http_client(
            "https://slow-dns.example/v1", FetchPolicy(connect_timeout=0.2), timeout=10
        )
    assert str(info.value) == (
        "Looking up the address of slow-dns.example took too long. Check the address, "
        "or try again later."
    )
    assert dns.pending == 1  # given up on while the resolver had still not answered


def test_an_unknown_name_is_a_configuration_error() -> None:
    with no_connections(), pytest.raises(ConfigurationError, match="Could not find the server"):
        endpoint_http_client("https://no-such-host.example/v1", FetchPolicy(), timeout=10)


# --------------------------------------------------------------------------------------
# Timeouts as the openai client uses them
# --------------------------------------------------------------------------------------


def hang_until_the_client_leaves(seen: threading.Event) -> Callable[[Handler], None]:
    def route(h: Handler) -> None:
        h.connection.settimeout(10)
        with contextlib.suppress(OSError):
            if h.connection.recv(1) == b"":
                seen.set()

    return route


@pytest.mark.timeout(30)
def test_the_client_timeout_is_the_openai_default(server: Endpoint) -> None:
    left = threading.Event()
    server.routes["/v1/models"] = hang_until_the_client_leaves(left)
    with model_client(server.url(), LOOPBACK, timeout=0.3) as client:
        assert client.timeout.read == 0.3  # openai took the http client's timeout
        with pytest.raises(openai.APITimeoutError):
            model_ids(client)
    assert left.wait(10)  # the server saw the client hang up


@pytest.mark.timeout(30)
def test_a_per_request_openai_timeout_reaches_the_connection(server: Endpoint) -> None:
    left = threading.Event()
    server.routes["/v1/models"] = hang_until_the_client_leaves(left)
    with model_client(server.url(), LOOPBACK, timeout=60) as client:
        with pytest.raises(openai.APITimeoutError):
            client.with_options(timeout=0.3).models.list()
    assert left.wait(10)


def test_a_closed_port_is_a_connection_error(connections: list[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with model_client(f"http://127.0.0.1:{port}/v1", LOOPBACK) as client:
        with pytest.raises(openai.APIConnectionError):
            model_ids(client)
    assert connections == ["127.0.0.1"]


# --------------------------------------------------------------------------------------
# HTTPS: connect to the checked IP, verify the certificate for the host name
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TLSServer]:
    with tls_server(tmp_path_factory.mktemp("tls"), "model.example", Endpoint) as served:
        yield served


def test_https_verifies_the_host_name_while_connecting_to_the_checked_ip(
    tls: TLSServer, dns: FakeDNS, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls.server.reset()
    tls.sni.clear()
    monkeypatch.setattr(transport, "_ssl_context", lambda: tls.client_context)
    dns.names["model.example"] = [["127.0.0.1"], ["127.0.0.2"]]
    with model_client(tls.server.url("/v1", "model.example"), ONLY_FIRST) as client:
        assert model_ids(client) == ["qwen-vl"]
    assert tls.sni == ["model.example"]
    assert tls.server.requests[-1].host_header == f"model.example:{tls.server.port}"


def test_https_refuses_a_certificate_for_another_name(
    tls: TLSServer, dns: FakeDNS, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls.server.reset()
    monkeypatch.setattr(transport, "_ssl_context", lambda: tls.client_context)
    dns.names["other.example"] = [["127.0.0.1"]]
    with model_client(tls.server.url("/v1", "other.example"), ONLY_FIRST) as client:
        with pytest.raises(openai.APIConnectionError) as info:
            model_ids(client)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value.__cause__)
    assert tls.server.requests == []


def test_https_refuses_an_untrusted_certificate(tls: TLSServer, dns: FakeDNS) -> None:
    tls.server.reset()
    dns.names["model.example"] = [["127.0.0.1"]]
    with model_client(tls.server.url("/v1", "model.example"), ONLY_FIRST) as client:
        with pytest.raises(openai.APIConnectionError):
            model_ids(client)
    assert tls.server.requests == []
