"""Connections that go only where the checks said they may.

How the pinning works: we use httpcore (the transport layer under httpx) with our own
*network backend*. httpcore asks the backend to ``connect_tcp(host, port)``; ours ignores
name resolution and connects only to the addresses validated beforehand for exactly that
host and port. Because the request URL still carries the real host name, httpcore keeps
doing everything else right: the ``Host`` header names the site, and for https the TLS
handshake sends the host name as SNI and verifies the certificate against it. The
alternative (rewriting the URL to the IP address) would need the same fixes by hand, and
``http.client`` with our own socket would mean re-implementing TLS and HTTP details.
httpcore never reads proxy settings from the environment, so ``HTTP_PROXY`` cannot route
the request around the check either.

Photo downloads (:mod:`safety.net.photos`) drive httpcore directly, one pool per request.
The model endpoint needs an ``httpx.Client`` (that is what ``openai.OpenAI`` takes), and
``httpx.HTTPTransport`` has no way to pass a network backend to its pool, so
:func:`endpoint_http_client` puts a small :class:`httpx.BaseTransport` of our own over an
``httpcore.ConnectionPool`` that uses the same pinned backend.
"""

from __future__ import annotations

import contextlib
import math
import ssl
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

from safety.errors import ConfigurationError, InputError
from safety.i18n import Phrase

from .addresses import (
    IPAddress,
    _all_allowed,
    _normalize_host,
    _parse_target,
    _printable,
    _resolve,
    _Target,
    _Wording,
)
from .policy import FetchPolicy, _Deadline

# --------------------------------------------------------------------------------------
# The pinned network backend, shared by photo downloads and the model endpoint
# --------------------------------------------------------------------------------------


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every wait is cut short at the overall deadline.

    Per-read timeouts alone let a server dribble one byte every few seconds forever;
    clamping each wait to the time left makes the total deadline hold exactly.
    """

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        # server_hostname is the URL's host name (not the IP we connected to), so SNI and
        # certificate verification are for the site the user asked for.
        tls = self._inner.start_tls(
            ssl_context, server_hostname, self._deadline.clamp(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects only to addresses validated in advance for one host and port.

    With a ``deadline`` (photo downloads) every wait is clamped to it; without one (the
    model endpoint) the per-operation timeouts of the request apply as they are.
    """

    def __init__(
        self, target: _Target, addresses: Iterable[IPAddress], deadline: _Deadline | None
    ) -> None:
        self._origin = (target.host, target.port)
        self._addresses = tuple(addresses)
        self._deadline = deadline
        self._tcp = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if (host, port) != self._origin:
            # httpcore only ever connects to the URL's origin. Anything else (a proxy added
            # later, say) would bypass the address check, so fail loudly instead.
            raise RuntimeError(f"refusing to connect to unvalidated destination {host}:{port}")
        error: Exception = httpcore.ConnectError("no address to connect to")
        for ip in self._addresses:  # like socket.create_connection: first that answers
            try:
                # A literal IP: the system resolver is not consulted again.
                stream = self._tcp.connect_tcp(
                    str(ip),
                    port,
                    timeout=self._clamp(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                if self._deadline is not None and self._deadline.expired:
                    break
                continue
            return stream if self._deadline is None else _DeadlineStream(stream, self._deadline)
        raise error

    def _clamp(self, timeout: float | None, error: type[Exception]) -> float | None:
        return timeout if self._deadline is None else self._deadline.clamp(timeout, error)

    def sleep(self, seconds: float) -> None:  # pragma: no cover - retries are disabled
        time.sleep(seconds)


def _ssl_context() -> ssl.SSLContext:
    """Certificate verification on, hostname checking on, certifi's CA bundle."""
    return httpcore.default_ssl_context()


# --------------------------------------------------------------------------------------
# The model endpoint: an httpx.Client over the pinned backend
# --------------------------------------------------------------------------------------

# Zone ids (fe80::1%eth0) are refused whatever the allow-list says: only the first fix works.
_ENDPOINT = _Wording("net.noun.endpoint", "https://example.com/v1", "net.hint.endpoint")

# httpcore's exceptions as httpx's, most specific first: callers of an httpx.Client (the
# openai client among them) catch httpx.TimeoutException, httpx.RequestError and so on.
_HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for core_error, httpx_error in _HTTPX_ERRORS:
            if isinstance(exc, core_error):
                raise httpx_error(str(exc)) from exc
        raise


class _ResponseStream(httpx.SyncByteStream):
    """An httpcore response body as an httpx one, with httpx's exceptions."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _PinnedTransport(httpx.BaseTransport):
    """Sends requests for one checked origin, over connections to its checked addresses."""

    def __init__(self, target: _Target, addresses: list[IPAddress]) -> None:
        self._target = target
        limits = httpx.Limits()  # httpx's defaults
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context() if target.scheme == "https" else None,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PinnedBackend(target, addresses, deadline=None),
            retries=0,
        )

    def _is_checked_origin(self, url: httpx.URL) -> bool:
        """True if ``url`` names the checked scheme, host and port (in any spelling)."""
        raw = url.raw_host.decode("ascii", errors="replace")
        try:
            host, _ = _normalize_host(raw, bracketed=":" in raw, display=raw)
        except InputError:
            return False
        port = url.port or (443 if url.scheme == "https" else 80)
        target = self._target
        return (url.scheme, host, port) == (target.scheme, target.host, target.port)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self._is_checked_origin(request.url):
            # Only reachable if something asks for another server (a redirect followed
            # despite follow_redirects=False, another base URL): that was never checked.
            raise httpx.ConnectError(
                f"refusing to connect to {_printable(request.url.netloc.decode('ascii'))}: "
                f"this client only connects to the model endpoint {self._target.display}",
                request=request,
            )
        assert isinstance(request.stream, httpx.SyncByteStream)
        # Only the timeouts are passed on: httpcore's "sni_hostname" extension, say, would
        # let a caller weaken the certificate check.
        timeout = request.extensions.get("timeout")
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=self._target.scheme.encode("ascii"),
                host=self._target.host.encode("ascii"),  # canonical: what the backend pins
                port=self._target.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions={} if timeout is None else {"timeout": timeout},
        )
        with _as_httpx_errors():
            response = self._pool.handle_request(core_request)
        assert isinstance(response.stream, Iterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


def endpoint_http_client(base_url: str, policy: FetchPolicy, *, timeout: float) -> httpx.Client:
    """An ``httpx.Client`` for a model endpoint whose base URL a stranger may have typed.

    The host of ``base_url`` is parsed, resolved (once, within ``policy.connect_timeout``)
    and checked exactly like a photo URL's: every address must be public or inside
    ``policy.allowed_networks``. The client then connects only to those addresses, for
    as long as it lives (DNS rebinding gains nothing), with TLS verified against the host
    name. It never follows redirects, ignores proxy variables in the environment and
    refuses requests for any other origin. ``timeout`` (seconds) is its default request
    timeout; pass it to ``openai.OpenAI(timeout=...)`` as well, since openai ignores a
    client timeout equal to httpx's default of 5 seconds.

    Raises ConfigurationError, with a message for the person who typed the URL, when the
    URL is unusable, the name cannot be resolved in time, or an address is not allowed.
    """
    if (
        not isinstance(timeout, int | float)
        or isinstance(timeout, bool)
        or not (math.isfinite(timeout) and timeout > 0)
    ):
        raise ConfigurationError(f"timeout must be a positive number of seconds, not {timeout!r}.")
    try:
        _, target = _parse_target(base_url, _ENDPOINT)
        addresses = _resolve(target, policy, _Deadline(policy.connect_timeout))
    except InputError as exc:
        raise ConfigurationError(exc.phrase or str(exc)) from None
    if not _all_allowed(addresses, policy):
        key = "net.endpoint-private-ip" if target.ip is not None else "net.endpoint-private-name"
        fix = Phrase("net.hint.endpoint-allow")
        raise ConfigurationError(Phrase(key, display=target.display, fix=fix))
    return httpx.Client(
        base_url=target.url,
        transport=_PinnedTransport(target, addresses),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,  # no HTTP_PROXY: a proxy would connect somewhere unchecked
    )
