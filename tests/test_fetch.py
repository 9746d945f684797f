"""Tests for safety.net's photo downloads: no way into private networks, bounded downloads.

Real HTTP servers run on 127.0.0.1 and 127.0.0.2 in threads. Nothing else is ever
contacted: an autouse fixture makes any connection to another address, and any DNS lookup
of a name other than "localhost" or a name a test defines, fail the test. Refusals that
must happen before connecting are asserted with every connection forbidden.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import ipaddress
import platform
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from unittest import mock

import httpcore
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from safety.errors import ConfigurationError, InputError
from safety.net import (
    FetchPolicy,
    addresses,
    check_url,
    fetch_image_bytes,
    is_public_address,
    photos,
    transport,
)
from safety.net.policy import _Deadline
from tests.certs import TLSServer, tls_server
from tests.loopback import LoopbackServer, server_pair

SERVER_HOSTS = ("127.0.0.1", "127.0.0.2")
REFUSED = "private, local or reserved network address"
# The test servers stand in for an on-premises camera network: only 127.0.0.1 is allowed.
LOCAL = FetchPolicy(allowed_networks=("127.0.0.1/32",))
BOTH = FetchPolicy(allowed_networks=("127.0.0.1/32", "127.0.0.2/32"))


def local(**limits: float) -> FetchPolicy:
    """LOCAL with some limits changed."""
    return FetchPolicy(allowed_networks=LOCAL.allowed_networks, **limits)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


# --------------------------------------------------------------------------------------
# Guards: nothing but the test servers, no real DNS
# --------------------------------------------------------------------------------------

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture(autouse=True)
def only_test_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test on any connection except to the local test servers."""

    def guarded_connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in SERVER_HOSTS:
            raise AssertionError(f"the code under test tried to connect to {address!r}")
        _real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(autouse=True)
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    """A resolver for test names; numeric hosts and "localhost" use the real one."""
    fake = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


class FakeDNS:
    """Answers from ``names``: a list of answers per name, used in turn, the last repeated.

    So ``names["x"] = [["127.0.0.1"], ["127.0.0.2"]]`` answers 127.0.0.1 once and then
    127.0.0.2 forever, like a rebinding attacker's DNS server. With ``hang`` set, lookups
    of those names wait until the event is set, like a resolver that never answers;
    ``pending`` counts the lookups still waiting.
    """

    def __init__(self) -> None:
        self.names: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []
        self.hang: threading.Event | None = None
        self.pending = 0

    def getaddrinfo(self, host, port, *args, **kwargs):  # noqa: ANN001, ANN201 - socket's API
        if isinstance(host, bytes):
            host = host.decode()
        if host in self.names:
            self.lookups.append(host)
            if self.hang is not None:
                self.pending += 1
                self.hang.wait(60)
                self.pending -= 1
            answers = self.names[host]
            ips = answers.pop(0) if len(answers) > 1 else answers[0]
            results = []
            for ip in ips:
                if ipaddress.ip_address(ip).version == 6:
                    results.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port, 0, 0)))
                else:
                    results.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)))
            return results
        try:
            ipaddress.ip_address(host)
        except ValueError:
            if host != "localhost":
                raise socket.gaierror(socket.EAI_NONAME, f"no such test name {host!r}") from None
        return _real_getaddrinfo(host, port, *args, **kwargs)


@contextlib.contextmanager
def no_connections() -> Iterator[None]:
    """Any connection attempt at all fails the test: the refusal must come first."""

    def forbidden(sock: socket.socket, address: object) -> None:
        raise AssertionError(f"connected to {address!r} before refusing")

    with mock.patch.object(socket.socket, "connect", forbidden):
        yield


def refused(url: str, policy: FetchPolicy = FetchPolicy()) -> str:
    """Fetch ``url`` with connections forbidden; return the InputError's message."""
    with no_connections(), pytest.raises(InputError) as info:
        fetch_image_bytes(url, policy)
    return str(info.value)


# --------------------------------------------------------------------------------------
# Test servers
# --------------------------------------------------------------------------------------


@dataclass
class Seen:
    path: str
    host_header: str | None


Route = Callable[["Handler"], None]


class Handler(http.server.BaseHTTPRequestHandler):
    server: TestServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.requests.append(Seen(self.path, self.headers.get("Host")))
        route = self.server.routes.get(urllib.parse.urlsplit(self.path).path)
        if route is None:
            reply(self, 404, b"not found", "text/plain")
        else:
            route(self)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep test output clean


def reply(
    handler: Handler,
    status: int,
    body: bytes = b"",
    content_type: str | None = "image/png",
    headers: tuple[tuple[str, str], ...] = (),
) -> None:
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class TestServer(LoopbackServer):
    """A photo server: /image.png by default, and whatever routes a test sets."""

    handler = Handler

    def default_routes(self) -> dict[str, Route]:
        return {"/image.png": lambda h: reply(h, 200, PNG)}


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[TestServer, TestServer]]:
    first, second = server_pair(TestServer)
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture
def server(servers: tuple[TestServer, TestServer]) -> TestServer:
    servers[0].reset()
    return servers[0]


@pytest.fixture
def server2(servers: tuple[TestServer, TestServer]) -> TestServer:
    servers[1].reset()
    return servers[1]


# --------------------------------------------------------------------------------------
# Refused addresses, in every spelling, before any connection
# --------------------------------------------------------------------------------------

REFUSED_URLS = [
    pytest.param("http://127.0.0.1/", id="loopback"),  # plain IPv4 loopback
    pytest.param("http://127.255.255.254:8080/x.jpg", id="loopback-/8-port"),  # all of 127/8
    pytest.param("https://127.0.0.1:8443/", id="https-loopback"),  # https is no different
    pytest.param("http://localhost/", id="localhost"),  # a name resolving to loopback
    pytest.param("http://LOCALHOST./", id="localhost-upper-dot"),  # uppercase, trailing dot
    pytest.param("http://127.0.0.1./", id="trailing-dot"),  # FQDN dot on an IP literal
    pytest.param("http://2130706433/", id="decimal"),  # 127.0.0.1 as one decimal number
    pytest.param("http://0177.0.0.1/", id="octal"),  # leading zero means octal
    pytest.param("http://0177.0000.0000.0001/", id="octal-padded"),  # extra zeros too
    pytest.param("http://0x7f.1/", id="hex-short"),  # hex first byte, 3-byte tail
    pytest.param("http://0x7f000001/", id="hex-whole"),  # one hex number
    pytest.param("http://0X7F.0X0.0X0.0X1/", id="hex-upper"),  # uppercase hex per byte
    pytest.param("http://127.1/", id="short-127.1"),  # a.b form: b fills three bytes
    pytest.param("http://10.1/", id="short-10.1"),  # a.b form of 10.0.0.1
    pytest.param("http://127.0.1/", id="short-a.b.c"),  # a.b.c form: c fills two bytes
    pytest.param("http://%31%32%37.0.0.1/", id="percent-ip"),  # percent-encoded digits
    pytest.param("http://%6c%6f%63%61%6c%68%6f%73%74/", id="percent-name"),  # "localhost"
    pytest.param(
        "http://\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11/", id="fullwidth"
    ),  # IDNA maps full-width digits and dots to 127.0.0.1
    pytest.param("http://[::1]/", id="ipv6-loopback"),  # IPv6 loopback
    pytest.param("http://[0:0:0:0:0:0:0:1]/", id="ipv6-loopback-long"),  # uncompressed
    pytest.param("http://[::ffff:127.0.0.1]/", id="mapped-dotted"),  # IPv4-mapped, dotted
    pytest.param("http://[::ffff:7f00:1]/", id="mapped-hex"),  # IPv4-mapped, hex words
    pytest.param("http://[::FFFF:A9FE:A9FE]/", id="mapped-metadata"),  # mapped 169.254.169.254
    pytest.param("http://[::127.0.0.1]/", id="ipv4-compatible"),  # deprecated ::a.b.c.d
    pytest.param("http://[64:ff9b::7f00:1]/", id="nat64-loopback"),  # NAT64 of 127.0.0.1
    pytest.param("http://[64:ff9b::a9fe:a9fe]/", id="nat64-metadata"),  # NAT64 of metadata
    pytest.param("http://[64:ff9b:1::a00:1]/", id="nat64-local-use"),  # local-use NAT64
    pytest.param("http://[2002:a9fe:a9fe::1]/", id="6to4-metadata"),  # 6to4 of metadata
    pytest.param("http://[2002:c0a8:101::]/", id="6to4-private"),  # 6to4 of 192.168.1.1
    pytest.param(
        "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", id="teredo-private-client"
    ),  # Teredo whose client is 10.0.0.1
    pytest.param("http://0.0.0.0/", id="unspecified"),  # "any" address reaches localhost
    pytest.param("http://0/", id="unspecified-decimal"),  # 0.0.0.0 as one number
    pytest.param("http://[::]/", id="unspecified-v6"),  # IPv6 "any"
    pytest.param("http://10.0.0.1/", id="rfc1918-10"),  # private 10/8
    pytest.param("http://172.16.0.1/", id="rfc1918-172.16"),  # private 172.16/12, low end
    pytest.param("http://172.31.255.254/", id="rfc1918-172.31"),  # private 172.16/12, high
    pytest.param("http://192.168.1.1/", id="rfc1918-192.168"),  # private 192.168/16
    pytest.param("http://[fc00::1]/", id="ula-fc"),  # unique local fc00::/7
    pytest.param("http://[fd12:3456:789a::1]/", id="ula-fd"),  # unique local, fd half
    pytest.param("http://169.254.169.254/latest/meta-data/", id="metadata"),  # cloud metadata
    pytest.param("http://169.254.0.1/", id="link-local"),  # rest of 169.254/16
    pytest.param("http://[fe80::1]/", id="link-local-v6"),  # IPv6 link-local
    pytest.param("http://[fec0::1]/", id="site-local-v6"),  # deprecated site-local
    pytest.param("http://224.0.0.1/", id="multicast"),  # IPv4 multicast
    pytest.param("http://239.255.255.250:1900/", id="multicast-ssdp"),  # SSDP
    pytest.param("http://[ff02::1]/", id="multicast-v6"),  # IPv6 multicast
    pytest.param("http://240.0.0.1/", id="reserved"),  # class E
    pytest.param("http://255.255.255.255/", id="broadcast"),  # limited broadcast
    pytest.param("http://100.64.0.1/", id="cgnat-low"),  # shared address space 100.64/10
    pytest.param("http://100.127.255.254/", id="cgnat-high"),  # its top end
    pytest.param("http://192.0.0.1/", id="ietf-192.0.0"),  # IETF protocol assignments
    pytest.param("http://192.0.0.170/", id="ietf-nat64-discovery"),  # also in 192.0.0/24
    pytest.param("http://198.18.0.1/", id="benchmark-low"),  # benchmarking 198.18/15
    pytest.param("http://198.19.255.254/", id="benchmark-high"),  # its top end
    pytest.param("http://192.0.2.1/", id="doc-test-net-1"),  # documentation
    pytest.param("http://198.51.100.7/", id="doc-test-net-2"),  # documentation
    pytest.param("http://203.0.113.9/", id="doc-test-net-3"),  # documentation
    pytest.param("http://[2001:db8::1]/", id="doc-v6"),  # IPv6 documentation
    pytest.param("http://[100::1]/", id="discard-v6"),  # discard-only prefix
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_non_public_addresses_are_refused_before_connecting(url: str) -> None:
    assert REFUSED in refused(url)


BAD_SYNTAX = [
    pytest.param("ftp://example.com/site.jpg", "http:// or https://", id="ftp"),  # scheme
    pytest.param("file:///etc/passwd", "http:// or https://", id="file"),  # local files
    pytest.param("gopher://127.0.0.1:6379/_INFO", "http:// or https://", id="gopher"),  # smuggling
    pytest.param("data:image/png;base64,AAAA", "http:// or https://", id="data"),  # no fetch
    pytest.param("example.com/photo.jpg", "http:// or https://", id="no-scheme"),  # bare name
    pytest.param(
        "http://user:hunter2@example.com/a.jpg", "user name or password", id="userinfo"
    ),  # credentials in the URL
    pytest.param("http://user@example.com/", "user name or password", id="user-only"),  # same
    pytest.param(
        "http://example.com\\@127.0.0.1/", "user name or password", id="backslash-at"
    ),  # parser-confusion trick, still has '@'
    pytest.param("http:///photo.jpg", "no host", id="no-host"),  # empty authority
    pytest.param("http://:8080/photo.jpg", "no host", id="port-only"),  # port but no host
    pytest.param("http://example.com:0/", "port", id="port-0"),  # port zero
    pytest.param("http://example.com:99999/", "port", id="port-too-big"),  # out of range
    pytest.param("http://exa mple.com/", "spaces", id="space"),  # whitespace inside
    pytest.param("http://example.com/\r\nX-Injected: 1", "spaces", id="crlf"),  # header injection
    pytest.param("http://1.2.3.4.5/", "invalid IP address", id="five-numbers"),  # not an IP
    pytest.param("http://256.1.1.1/", "invalid IP address", id="byte-overflow"),  # 256 > 255
    pytest.param("http://08.0.0.1/", "invalid IP address", id="bad-octal"),  # 8 is not octal
    pytest.param("http://[fe80::1%25eth0]/", "zone identifier", id="ipv6-zone"),  # scoped
    pytest.param("http://[::1/", "not a valid address", id="bad-bracket"),  # unbalanced
    pytest.param("http://exa_mple..com/", "invalid host name", id="empty-label"),  # a..b
    pytest.param("http://%ff%fe/", "invalid host name", id="bad-percent"),  # not UTF-8
    pytest.param("", "enter a photo URL", id="empty"),  # nothing typed
]


@pytest.mark.parametrize(("url", "message"), BAD_SYNTAX)
def test_bad_urls_are_refused_by_check_url_and_fetch(url: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_url(url)
    assert message in refused(url)


@pytest.mark.parametrize(("url", "message"), BAD_SYNTAX)
def test_bad_urls_are_refused_in_the_readers_language(url: str, message: str) -> None:
    from tests.test_chinese_words import english_sentences

    with pytest.raises(InputError) as info:
        fetch_image_bytes(url, LOCAL)
    chinese = info.value.text("zh")
    assert re.search(r"[\u4e00-\u9fff]", chinese) and not english_sentences(chinese), chinese
    assert info.value.text("en") == str(info.value)


def test_check_url_returns_the_split_url() -> None:
    parts = check_url("  https://Example.com:8443/site/photo.jpg?size=large  ")
    assert (parts.scheme, parts.hostname, parts.port) == ("https", "example.com", 8443)
    assert parts.path == "/site/photo.jpg"


def test_messages_name_the_host_but_never_the_query_or_password() -> None:
    secret = "SECRET-TOKEN-123"
    for url in (
        f"http://169.254.169.254/latest?token={secret}",
        f"http://user:{secret}@example.com/photo.jpg",
        f"ftp://files.example.com/p.jpg?sig={secret}",
        f"http://10.1/photo.jpg?{secret}#frag",
    ):
        message = refused(url)
        assert secret not in message
        assert urllib.parse.urlsplit(url).hostname in message


SPELLING_NETWORKS = [
    ipaddress.IPv4Network(net)
    for net in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "100.64.0.0/10",
        "0.0.0.0/8",
    )
]


def spellings(ip: ipaddress.IPv4Address) -> list[str]:
    """URL hosts that all mean ``ip`` to the resolver."""
    n = int(ip)
    a, b, c, d = ip.packed
    return [
        str(ip),  # dotted decimal
        str(n),  # one decimal number
        ".".join(f"0{x:o}" for x in ip.packed),  # dotted octal
        f"0{n:o}",  # one octal number
        f"0x{n:x}",  # one hex number
        f"0X{n:08X}",  # padded uppercase hex
        ".".join(f"0x{x:02x}" for x in ip.packed),  # dotted hex
        f"{a}.{(b << 16) | (c << 8) | d}",  # a.b short form
        f"{a}.{b}.{(c << 8) | d}",  # a.b.c short form
        f"0{a:o}.0x{b:x}.{c}.{d}",  # mixed bases
        f"{ip}.",  # trailing dot
        "".join(f"%{ord(ch):02X}" for ch in str(ip)),  # percent-encoded
        f"[::ffff:{ip}]",  # IPv4-mapped IPv6, dotted
        f"[::ffff:{n >> 16:x}:{n & 0xFFFF:x}]",  # IPv4-mapped IPv6, hex
        f"[64:ff9b::{ip}]",  # NAT64
        f"[2002:{n >> 16:x}:{n & 0xFFFF:x}::1]",  # 6to4
    ]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(SPELLING_NETWORKS)
    .flatmap(lambda net: st.integers(int(net.network_address), int(net.broadcast_address)))
    .map(ipaddress.IPv4Address)
)
@example(ipaddress.IPv4Address("127.0.0.1"))
@example(ipaddress.IPv4Address("169.254.169.254"))
def test_every_spelling_of_a_private_address_is_refused(ip: ipaddress.IPv4Address) -> None:
    for host in spellings(ip):
        url = f"http://{host}/photo.jpg"
        assert REFUSED in refused(url), url
        if not host.startswith("["):
            # Not refused by accident: it was read as exactly this address.
            assert addresses._parse_target(url)[1].ip == ip, url


numeric_part = st.one_of(
    st.integers(0, 2**32).map(str),
    st.integers(0, 2**32).map(lambda n: f"0{n:o}"),
    st.integers(0, 2**32).map(lambda n: f"0x{n:x}"),
    st.sampled_from(["0x", "08", "09", "0xg", "00", "1e1"]),
)
numeric_hosts = st.one_of(
    st.lists(numeric_part, min_size=1, max_size=5).map(".".join),
    st.text(alphabet="0123456789abcdefxX.", min_size=1, max_size=20),
)


@pytest.mark.slow
@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="reference is glibc inet_aton")
@settings(max_examples=300, deadline=None)
@given(numeric_hosts)
def test_ipv4_parser_agrees_with_the_system_resolver(host: str) -> None:
    try:
        expected = socket.inet_aton(host)
    except OSError:
        expected = None
    parsed = addresses._parse_ipv4(host)
    assert (parsed.packed if parsed else None) == expected


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",  # ordinary public IPv4
        "1.1.1.1",  # another
        "100.128.0.1",  # just past shared address space
        "172.32.0.1",  # just past 172.16/12
        "2606:4700:4700::1111",  # ordinary public IPv6
        "::ffff:8.8.8.8",  # IPv4-mapped form of a public address
        "64:ff9b::808:808",  # NAT64 of a public address
        "2002:808:808::1",  # 6to4 of a public address
    ],
)
def test_public_addresses_stay_usable(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


# --------------------------------------------------------------------------------------
# Downloads through the allow-list
# --------------------------------------------------------------------------------------


def test_allowed_network_lets_the_test_server_through(server: TestServer) -> None:
    url = server.url("/image.png")
    assert fetch_image_bytes(url, LOCAL) == (PNG, url)


def test_without_the_allow_list_the_test_server_is_refused(server: TestServer) -> None:
    assert REFUSED in refused(server.url("/image.png"))
    assert server.requests == []


def test_allow_list_lets_only_the_named_networks_through(server2: TestServer) -> None:
    assert REFUSED in refused(server2.url("/image.png"), LOCAL)
    assert server2.requests == []


def test_allowed_networks_from_env_work_end_to_end(server: TestServer) -> None:
    policy = FetchPolicy.from_env({"SAFETY_ALLOWED_NETWORKS": "192.168.5.7/32, 127.0.0.0/30"})
    assert fetch_image_bytes(server.url("/image.png"), policy)[0] == PNG


def test_query_string_is_sent_and_final_url_is_canonical(server: TestServer) -> None:
    body, final_url = fetch_image_bytes(server.url("/image.png?w=4&h=3", "0x7f.1"), LOCAL)
    assert body == PNG
    assert final_url == server.url("/image.png?w=4&h=3")
    assert server.requests[-1].path == "/image.png?w=4&h=3"


def test_content_type_is_only_informational(server: TestServer) -> None:
    server.routes["/octets"] = lambda h: reply(h, 200, PNG, "application/octet-stream")
    server.routes["/untyped"] = lambda h: reply(h, 200, PNG, None)
    assert fetch_image_bytes(server.url("/octets"), LOCAL)[0] == PNG
    assert fetch_image_bytes(server.url("/untyped"), LOCAL)[0] == PNG


def test_proxy_settings_in_the_environment_are_ignored(
    server: TestServer, server2: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy would connect somewhere other than the checked address.
    proxy = f"http://127.0.0.2:{server2.port}"
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, proxy)
    assert fetch_image_bytes(server.url("/image.png"), LOCAL)[0] == PNG
    assert server2.requests == []


# --------------------------------------------------------------------------------------
# DNS: every answer checked, and the checked address is the one connected to
# --------------------------------------------------------------------------------------


def test_localhost_is_refused() -> None:
    assert REFUSED in refused("http://localhost:7860/photo.jpg")


def test_every_address_from_the_resolver_is_checked(dns: FakeDNS) -> None:
    # The public address comes first: checking only the first answer would connect to it.
    dns.names["mixed.example"] = [["93.184.216.34", "10.0.0.7"]]
    assert REFUSED in refused("http://mixed.example/photo.jpg")
    dns.names["mixed6.example"] = [["2606:4700:4700::1111", "fd00::1"]]
    assert REFUSED in refused("http://mixed6.example/photo.jpg")


def test_connection_goes_to_the_checked_address_not_a_second_lookup(
    dns: FakeDNS, server: TestServer, server2: TestServer
) -> None:
    # First answer allowed, every later answer not: a DNS rebinding attack.
    dns.names["camera.example"] = [["127.0.0.1"], ["127.0.0.2"]]
    server2.routes["/image.png"] = lambda h: reply(h, 200, b"INTERNAL SECRET")
    body, final_url = fetch_image_bytes(server.url("/image.png", "camera.example"), LOCAL)
    assert body == PNG
    assert final_url == server.url("/image.png", "camera.example")
    assert dns.lookups == ["camera.example"]
    assert server2.requests == []
    # The server still learns which site was asked for.
    assert server.requests[-1].host_header == f"camera.example:{server.port}"


def test_unknown_names_get_a_clear_message(dns: FakeDNS) -> None:
    with no_connections(), pytest.raises(InputError, match="Could not find the server"):
        fetch_image_bytes("http://no-such-host.example/photo.jpg?token=x")


@pytest.mark.timeout(30)  # a safety net: waiting for the lookup would hang until released
def test_a_hanging_dns_lookup_is_cut_off(dns: FakeDNS) -> None:
    dns.names["slow-dns.example"] = [["93.184.216.34"]]
    dns.hang = threading.Event()
    try:
        with no_connections(), pytest.raises(InputError, match="took too long"):
            fetch_image_bytes("http://slow-dns.example/", FetchPolicy(connect_timeout=0.2))
        # The download gave up while the resolver had still not answered.
        assert dns.lookups == ["slow-dns.example"]
        assert dns.pending == 1
    finally:
        dns.hang.set()


# --------------------------------------------------------------------------------------
# Redirects
# --------------------------------------------------------------------------------------


def redirect_to(location: str, status: int = 302) -> Route:
    return lambda h: reply(h, status, b"", None, (("Location", location),))


def test_redirect_to_a_non_allowed_address_is_refused(
    server: TestServer, server2: TestServer
) -> None:
    server.routes["/to-2"] = redirect_to(server2.url("/image.png"))
    with pytest.raises(InputError) as info:
        fetch_image_bytes(server.url("/to-2"), LOCAL)
    message = str(info.value)
    assert REFUSED in message and "redirected" in message and "127.0.0.2" in message
    assert server2.requests == []


def test_a_refused_redirect_is_said_in_chinese_throughout(
    server: TestServer, server2: TestServer
) -> None:
    from tests.test_chinese_words import english_sentences

    server.routes["/to-2"] = redirect_to(server2.url("/image.png"))
    with pytest.raises(InputError) as info:
        fetch_image_bytes(server.url("/to-2"), LOCAL)
    chinese = info.value.text("zh")
    assert "重定向" in chinese and "内网" in chinese and "127.0.0.2" in chinese
    assert not english_sentences(chinese), chinese
    for route, words in (
        (lambda h: reply(h, 404, b"no"), "返回了 404"),
        (lambda h: reply(h, 200, b"<html>", "text/html"), "网页"),
        (lambda h: reply(h, 200, b"x" * 2048), "过大"),
    ):
        server.routes["/x"] = route
        with pytest.raises(InputError) as info:
            fetch_image_bytes(server.url("/x"), local(max_bytes=1024))
        assert words in info.value.text("zh") and not english_sentences(info.value.text("zh"))


def test_redirect_to_another_spelling_of_a_refused_address_is_refused(
    server: TestServer, server2: TestServer
) -> None:
    server.routes["/to-2"] = redirect_to(f"http://2130706434:{server2.port}/image.png")
    with pytest.raises(InputError, match=REFUSED):
        fetch_image_bytes(server.url("/to-2"), LOCAL)
    assert server2.requests == []


def test_redirect_between_allowed_servers_is_followed(
    server: TestServer, server2: TestServer
) -> None:
    server.routes["/to-2"] = redirect_to(server2.url("/image.png"), 301)
    assert fetch_image_bytes(server.url("/to-2"), BOTH) == (PNG, server2.url("/image.png"))


@pytest.mark.parametrize("location", ["/image.png", "image.png", "../image.png"])
def test_relative_redirects_are_resolved(server: TestServer, location: str) -> None:
    server.routes["/dir/moved"] = redirect_to(location, 307)
    server.routes["/dir/image.png"] = lambda h: reply(h, 200, b"in dir")
    body, final_url = fetch_image_bytes(server.url("/dir/moved"), LOCAL)
    expected_path = urllib.parse.urljoin("/dir/moved", location)
    assert final_url == server.url(expected_path)
    assert body == (b"in dir" if expected_path == "/dir/image.png" else PNG)


def test_redirect_loop_stops_at_max_redirects(server: TestServer) -> None:
    server.routes["/loop"] = redirect_to("/loop")
    with pytest.raises(InputError, match="more than 3 times"):
        fetch_image_bytes(server.url("/loop"), local(max_redirects=3))
    assert [seen.path for seen in server.requests] == ["/loop"] * 4


@pytest.mark.parametrize(
    "location",
    [
        "file:///etc/passwd",  # local file
        "ftp://127.0.0.1/photo.jpg",  # other protocol
        "gopher://127.0.0.1:6379/_FLUSHALL",  # classic SSRF smuggling
        "http://user:pw@127.0.0.1/image.png",  # credentials
    ],
)
def test_redirect_to_an_unusable_url_is_refused(server: TestServer, location: str) -> None:
    server.routes["/bad"] = redirect_to(location)
    with pytest.raises(InputError, match="redirected to an unusable address"):
        fetch_image_bytes(server.url("/bad"), LOCAL)
    assert len(server.requests) == 1


def test_redirect_without_location_is_a_status_error(server: TestServer) -> None:
    server.routes["/nowhere"] = lambda h: reply(h, 302, b"", None)
    with pytest.raises(InputError, match="answered 302"):
        fetch_image_bytes(server.url("/nowhere"), LOCAL)


# --------------------------------------------------------------------------------------
# Responses: status, type, size, time
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [403, 404, 500, 503])
def test_non_2xx_answers_are_refused(server: TestServer, status: int) -> None:
    server.routes["/status"] = lambda h: reply(h, status, b"no", "text/plain")
    with pytest.raises(InputError, match=f"answered {status}") as info:
        fetch_image_bytes(server.url("/status?key=SECRET"), LOCAL)
    assert "SECRET" not in str(info.value) and "127.0.0.1" in str(info.value)


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=utf-8", "TEXT/HTML", "application/xhtml+xml"]
)
def test_web_pages_are_refused(server: TestServer, content_type: str) -> None:
    server.routes["/page"] = lambda h: reply(h, 200, b"<html>photo</html>", content_type)
    with pytest.raises(InputError, match="the URL points to a web page, not an image"):
        fetch_image_bytes(server.url("/page"), LOCAL)


def test_empty_body_is_refused(server: TestServer) -> None:
    server.routes["/empty"] = lambda h: reply(h, 200, b"")
    with pytest.raises(InputError, match="empty"):
        fetch_image_bytes(server.url("/empty"), LOCAL)


def test_body_of_exactly_max_bytes_is_accepted(server: TestServer) -> None:
    policy = FetchPolicy(max_bytes=len(PNG), allowed_networks=LOCAL.allowed_networks)
    assert fetch_image_bytes(server.url("/image.png"), policy)[0] == PNG


@dataclass
class Hangup:
    """What a route saw of the client hanging up; ``done`` is set when the route ends."""

    seen: bool = False  # the client closed the connection while the route was serving it
    sent: int = 0  # body bytes the route had written by then
    done: threading.Event = field(default_factory=threading.Event)

    def result(self) -> Hangup:
        assert self.done.wait(10), "the route did not finish"
        return self


def wait_for_hangup(h: Handler, seconds: float = 10) -> bool:
    """Block until the client closes the connection; True if it did within ``seconds``."""
    h.connection.settimeout(seconds)
    try:
        return h.connection.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def write_until_hangup(h: Handler, frame: bytes, times: int, pause: float = 0) -> Hangup:
    """Write ``frame`` up to ``times`` times, stopping when the client hangs up."""
    seen = Hangup()
    try:
        for _ in range(times):
            h.wfile.write(frame)
            seen.sent += len(frame)
            time.sleep(pause)
    except OSError:  # BrokenPipeError, ConnectionResetError: the client is gone
        seen.seen = True
    return seen


@dataclass
class Reads:
    """What the pinned connections read: bytes per read, and the longest wait each got."""

    sizes: list[int] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)


def spy_on_reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    reads = Reads()
    real_read, real_clamp = transport._DeadlineStream.read, _Deadline.clamp

    def read(self: transport._DeadlineStream, max_bytes: int, timeout: float | None = None):
        data = real_read(self, max_bytes, timeout)
        reads.sizes.append(len(data))
        return data

    def clamp(self: _Deadline, timeout: float | None, error: type[Exception]) -> float:
        wait = real_clamp(self, timeout, error)
        if error is httpcore.ReadTimeout:
            reads.waits.append(wait)
        return wait

    monkeypatch.setattr(transport._DeadlineStream, "read", read)
    monkeypatch.setattr(_Deadline, "clamp", clamp)
    return reads


def test_declared_oversize_is_refused_before_reading_the_body(server: TestServer) -> None:
    seen = Hangup()

    def declared_huge(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "image/jpeg")
        h.send_header("Content-Length", str(50 * 1024 * 1024))
        h.end_headers()
        h.wfile.write(b"\xff\xd8" * 50)
        # The rest of the body never comes: anyone reading it would meet the read timeout
        # and get another message than "too large".
        seen.seen = wait_for_hangup(h)
        seen.done.set()

    server.routes["/declared-huge"] = declared_huge
    policy = local(max_bytes=10_000, read_timeout=2)
    with pytest.raises(InputError, match=r"too large \(50.0 MB; the limit is 9.8 KB\)"):
        fetch_image_bytes(server.url("/declared-huge"), policy)
    assert seen.result().seen  # and the connection was closed, not left waiting


def endless(chunked: bool, seen: Hangup) -> Route:
    def route(h: Handler) -> None:
        if chunked:
            h.protocol_version = "HTTP/1.1"
        h.send_response(200)
        h.send_header("Content-Type", "image/jpeg")
        if chunked:
            h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        block = b"\xff" * 16384
        frame = b"4000\r\n" + block + b"\r\n" if chunked else block
        # 1 GiB: far more than any client that stops at the cap will take.
        outcome = write_until_hangup(h, frame, times=65536)
        seen.seen, seen.sent = outcome.seen, outcome.sent
        h.close_connection = True
        seen.done.set()

    return route


@pytest.mark.timeout(60)  # a safety net should the body be read to its end
@pytest.mark.parametrize("chunked", [False, True], ids=["until-close", "chunked"])
def test_oversize_without_content_length_is_cut_off(
    server: TestServer, chunked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = Hangup()
    server.routes["/endless"] = endless(chunked, seen)
    reads = spy_on_reads(monkeypatch)
    policy = local(max_bytes=100_000)
    with pytest.raises(InputError, match=r"too large \(more than 97.7 KB"):
        fetch_image_bytes(server.url("/endless"), policy)
    # Reading stopped at the first read past the cap (httpcore reads up to 64 KiB at once)...
    assert sum(reads.sizes) <= policy.max_bytes + 2 * 65536
    # ...and the connection was closed under the server while it was still sending.
    assert seen.result().seen
    assert seen.sent < 65536 * len(b"\xff" * 16384)


@pytest.mark.timeout(30)
def test_a_silent_server_trips_the_read_timeout(server: TestServer) -> None:
    seen = Hangup()

    def silent(h: Handler) -> None:
        seen.seen = wait_for_hangup(h)  # says nothing until the client gives up
        seen.done.set()

    server.routes["/silent"] = silent
    policy = local(read_timeout=0.3)
    with pytest.raises(InputError, match=r"stopped responding \(nothing received for 0.3"):
        fetch_image_bytes(server.url("/silent"), policy)
    assert seen.result().seen  # the client hung up on the silence


@pytest.mark.timeout(30)
def test_a_trickling_server_trips_the_total_deadline(server: TestServer) -> None:
    seen = Hangup()

    def trickle(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "image/jpeg")
        h.send_header("Content-Length", "1000")
        h.end_headers()
        # One byte per 50 ms: never a read timeout; 200 bytes (10 s) and then it stops
        # short of the 1000 it announced.
        outcome = write_until_hangup(h, b"x", times=200, pause=0.05)
        seen.seen, seen.sent = outcome.seen, outcome.sent
        seen.done.set()

    server.routes["/trickle"] = trickle
    policy = local(read_timeout=0.5, total_timeout=0.8)
    with pytest.raises(InputError, match="took longer than 0.8 seconds"):
        fetch_image_bytes(server.url("/trickle"), policy)
    assert seen.result().seen  # cut off mid-body, while the server was still sending
    assert 1 < seen.sent < 200  # bytes kept coming until then: no read timed out


@pytest.mark.timeout(30)
def test_a_silent_server_cannot_outlast_the_total_deadline(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The read timeout alone would wait 1.5 s; the deadline must cut the wait short.
    seen = Hangup()

    def silent(h: Handler) -> None:
        seen.seen = wait_for_hangup(h)
        seen.done.set()

    server.routes["/silent"] = silent
    reads = spy_on_reads(monkeypatch)
    policy = local(read_timeout=1.5, total_timeout=0.4)
    with pytest.raises(InputError, match="took longer than 0.4 seconds"):
        fetch_image_bytes(server.url("/silent"), policy)
    assert seen.result().seen
    # The socket was never asked to wait past the deadline, though the read timeout allows it.
    assert reads.waits and max(reads.waits) <= 0.4


def test_a_closed_port_gets_a_clear_message() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(InputError, match=f"Could not connect to 127.0.0.1:{port}"):
        fetch_image_bytes(f"http://127.0.0.1:{port}/photo.jpg", LOCAL)


# --------------------------------------------------------------------------------------
# HTTPS: connect to the checked IP, but verify the certificate for the host name
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TLSServer]:
    with tls_server(tmp_path_factory.mktemp("tls"), "camera.example", TestServer) as served:
        yield served


def test_https_verifies_the_host_name_while_connecting_to_the_checked_ip(
    tls: TLSServer, dns: FakeDNS, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls.server.reset()
    tls.sni.clear()
    monkeypatch.setattr(photos, "_ssl_context", lambda: tls.client_context)
    dns.names["camera.example"] = [["127.0.0.1"], ["127.0.0.2"]]
    url = tls.server.url("/image.png", "camera.example")
    assert fetch_image_bytes(url, LOCAL) == (PNG, url)
    assert tls.sni == ["camera.example"]
    assert tls.server.requests[-1].host_header == f"camera.example:{tls.server.port}"


def test_https_refuses_a_certificate_for_another_name(
    tls: TLSServer, dns: FakeDNS, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(photos, "_ssl_context", lambda: tls.client_context)
    dns.names["other.example"] = [["127.0.0.1"]]
    with pytest.raises(InputError, match="certificate of other.example"):
        fetch_image_bytes(tls.server.url("/image.png", "other.example"), LOCAL)


def test_https_refuses_an_untrusted_certificate(tls: TLSServer, dns: FakeDNS) -> None:
    dns.names["camera.example"] = [["127.0.0.1"]]
    with pytest.raises(InputError, match="certificate of camera.example"):
        fetch_image_bytes(tls.server.url("/image.png", "camera.example"), LOCAL)


# --------------------------------------------------------------------------------------
# Policy and configuration
# --------------------------------------------------------------------------------------


def test_from_env_defaults() -> None:
    assert FetchPolicy.from_env({}) == FetchPolicy()


def test_from_env_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_ALLOWED_NETWORKS", "10.1.2.0/24")
    monkeypatch.delenv("SAFETY_MAX_DOWNLOAD_MB", raising=False)
    assert FetchPolicy.from_env().allowed_networks == (ipaddress.ip_network("10.1.2.0/24"),)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.1.2.0/24, 192.168.5.7/32", ("10.1.2.0/24", "192.168.5.7/32")),  # the usual form
        ("192.168.5.7", ("192.168.5.7/32",)),  # a bare address is a /32
        (" fd00:1::/64 ,, ", ("fd00:1::/64",)),  # IPv6, stray commas and spaces
        ("", ()),  # nothing allowed
    ],
)
def test_from_env_parses_allowed_networks(value: str, expected: tuple[str, ...]) -> None:
    policy = FetchPolicy.from_env({"SAFETY_ALLOWED_NETWORKS": value})
    assert policy.allowed_networks == tuple(ipaddress.ip_network(n) for n in expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("camera-net", "not an IP network"),  # a name, not a network
        ("10.1.2.0/33", "not an IP network"),  # prefix too long
        ("10.1.2.0/24; 10.1.3.0/24", "not an IP network"),  # wrong separator
        ("10.1.2.5/24", "did you mean 10.1.2.0/24"),  # host bits set
        ("0.0.0.0/0", "switch off the protection"),  # would allow everything
        ("::/0", "switch off the protection"),  # same for IPv6
    ],
)
def test_from_env_rejects_bad_networks(value: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as info:
        FetchPolicy.from_env({"SAFETY_ALLOWED_NETWORKS": value})
    assert "SAFETY_ALLOWED_NETWORKS" in str(info.value)


@pytest.mark.parametrize(("value", "expected"), [("5", 5 * 1024 * 1024), (" 0.5 ", 524288)])
def test_from_env_parses_max_download(value: str, expected: int) -> None:
    assert FetchPolicy.from_env({"SAFETY_MAX_DOWNLOAD_MB": value}).max_bytes == expected


@pytest.mark.parametrize("value", ["twenty", "0", "-3", "nan", "inf", "5MB"])
def test_from_env_rejects_bad_max_download(value: str) -> None:
    with pytest.raises(ConfigurationError, match="SAFETY_MAX_DOWNLOAD_MB must be a positive"):
        FetchPolicy.from_env({"SAFETY_MAX_DOWNLOAD_MB": value})


def test_policy_converts_network_strings() -> None:
    assert LOCAL.allowed_networks == (ipaddress.IPv4Network("127.0.0.1/32"),)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_bytes": 0},  # nothing could be downloaded
        {"max_bytes": 1.5},  # not a byte count
        {"read_timeout": 0},  # would fail every read
        {"total_timeout": float("inf")},  # no deadline at all
        {"max_redirects": -1},  # meaningless
        {"allowed_networks": "10.0.0.0/8"},  # a string, not a tuple of networks
        {"allowed_networks": ("not-a-network",)},  # unparsable entry
    ],
)
def test_policy_rejects_bad_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        FetchPolicy(**kwargs)


def test_a_refused_endpoint_is_said_in_chinese() -> None:
    from safety.net import endpoint_http_client
    from tests.test_chinese_words import english_sentences

    for url in ("http://10.1.2.3/v1", "http://[fe80::1%25eth0]/v1", "ftp://example.com/v1"):
        with pytest.raises(ConfigurationError) as info:
            endpoint_http_client(url, FetchPolicy(), timeout=5)
        chinese = info.value.text("zh")
        assert re.search(r"[\u4e00-\u9fff]", chinese) and not english_sentences(chinese), chinese
        assert info.value.text("en") == str(info.value) != chinese
