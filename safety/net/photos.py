"""Download a photo from a user-given URL: :func:`fetch_image_bytes` and its messages.

The host is checked and resolved by :mod:`safety.net.addresses` and the connection pinned
by :mod:`safety.net.transport`; this module does the HTTP exchange: redirects followed by
hand with every hop checked again, the status, the content type, the size cap and the
deadline for the whole download. Errors are :class:`safety.errors.InputError` with
messages for the person who typed the URL; they name the host (and port), never the path
or query string, which may carry access tokens.
"""

from __future__ import annotations

import http
import ssl
import urllib.parse
from collections.abc import Iterable

import httpcore

from safety.errors import InputError
from safety.i18n import Phrase

from .addresses import IPAddress, _parse_target, _Target, _validated_addresses
from .policy import FetchPolicy, _Deadline
from .transport import _PinnedBackend, _ssl_context

USER_AGENT = b"safety-inspection-photo-fetcher/1.0"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Content types that are certainly a web page rather than a photo. Anything else is
# passed on: the image decoder is the real judge, and many servers label photos
# "application/octet-stream" or nothing at all.
WEB_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return None


def _too_large(target: _Target, policy: FetchPolicy, size: str | None) -> InputError:
    limit = _human_size(policy.max_bytes)
    if size is None:  # the body ran past the limit
        return InputError(Phrase("net.too-large-stream", display=target.display, limit=limit))
    return InputError(Phrase("net.too-large", display=target.display, size=size, limit=limit))


def _status_error(target: _Target, status: int) -> InputError:
    try:
        # Our own reason phrase: the server's text is untrusted.
        reason = f" {http.HTTPStatus(status).phrase}"
    except ValueError:
        reason = ""
    return InputError(Phrase("net.status", display=target.display, status=status, reason=reason))


def _get_once(
    target: _Target, addresses: list[IPAddress], policy: FetchPolicy, deadline: _Deadline
) -> tuple[bytes | None, str | None]:
    """One GET. Returns (body, None), or (None, location) for a redirect to follow."""
    backend = _PinnedBackend(target, addresses, deadline)
    headers = [
        (b"Host", target.netloc.encode("ascii")),
        (b"User-Agent", USER_AGENT),
        (b"Accept", b"image/*"),
        # Ask for the raw bytes: nothing here decompresses, so no decompression bombs.
        (b"Accept-Encoding", b"identity"),
    ]
    timeouts = {
        "connect": policy.connect_timeout,
        "read": policy.read_timeout,
        "write": policy.read_timeout,
        "pool": policy.connect_timeout,
    }
    url = httpcore.URL(
        scheme=target.scheme.encode("ascii"),
        host=target.host.encode("ascii"),
        port=target.port,
        target=target.target.encode("ascii"),
    )
    with httpcore.ConnectionPool(
        ssl_context=_ssl_context() if target.scheme == "https" else None,
        network_backend=backend,
        retries=0,
    ) as pool:
        with pool.stream("GET", url, headers=headers, extensions={"timeout": timeouts}) as response:
            status = response.status
            if status in REDIRECT_STATUSES:
                location = _header(response.headers, b"location")
                if location:
                    return None, location
            if not 200 <= status < 300:
                raise _status_error(target, status)

            content_type = (_header(response.headers, b"content-type") or "").lower()
            if content_type.split(";")[0].strip() in WEB_PAGE_TYPES:
                raise InputError(Phrase("net.html", display=target.display))

            declared = _header(response.headers, b"content-length")
            if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                # Refuse before reading a single byte of the body.
                raise _too_large(target, policy, _human_size(int(declared)))

            body = bytearray()
            for chunk in response.iter_stream():
                body += chunk
                if len(body) > policy.max_bytes:
                    # Stop now; leaving the block closes the connection unread.
                    raise _too_large(target, policy, None)
            if not body:
                raise InputError(Phrase("net.empty-body", display=target.display))
            return bytes(body), None


def _said(exc: InputError):
    """An error inside another's words: its phrase, said in the same language."""
    return exc.phrase if exc.phrase is not None else str(exc)


def _cause_chain(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _network_error(
    exc: httpcore.NetworkError | httpcore.TimeoutException | httpcore.ProtocolError,
    target: _Target,
    policy: FetchPolicy,
    deadline: _Deadline,
) -> InputError:
    """A user-facing message for a failed connection, TLS handshake or transfer."""
    where = target.display
    if deadline.expired or (isinstance(exc, httpcore.TimeoutException) and deadline.cut_short):
        return InputError(Phrase("net.deadline", display=where, seconds=deadline.seconds))
    if isinstance(exc, httpcore.ConnectTimeout):
        return InputError(
            Phrase("net.connect-timeout", display=where, seconds=policy.connect_timeout)
        )
    if isinstance(exc, httpcore.TimeoutException):
        return InputError(Phrase("net.read-timeout", display=where, seconds=policy.read_timeout))
    if isinstance(exc, httpcore.ConnectError):
        for cause in _cause_chain(exc):
            if isinstance(cause, ssl.SSLCertVerificationError):
                return InputError(Phrase("net.cert", display=where))
            if isinstance(cause, ssl.SSLError):
                return InputError(Phrase("net.tls", display=where))
        return InputError(Phrase("net.connect", display=where))
    if isinstance(exc, httpcore.ProtocolError):
        return InputError(Phrase("net.protocol", display=where))
    return InputError(Phrase("net.broke", display=where))


def fetch_image_bytes(url: str, policy: FetchPolicy = FetchPolicy()) -> tuple[bytes, str]:
    """Download the photo at a user-given ``url`` safely; return ``(body, final_url)``.

    ``final_url`` is the URL the body came from after redirects, in canonical form (it
    still contains the query string, so treat it like the input URL when logging).
    The body is not decoded here: whether it is an image is checked by the caller.

    Raises InputError, with a message for the user, when the URL is unusable, points to a
    non-public address (on any redirect hop), the server fails or answers non-2xx, the
    response is a web page, empty or too large, or time runs out.
    """
    deadline = _Deadline(policy.total_timeout)
    _, target = _parse_target(url)
    redirects = 0
    redirected_by: str | None = None  # display host of the server that sent us here
    while True:
        try:
            addresses = _validated_addresses(target, policy, deadline)
        except InputError as exc:
            if redirected_by is None:
                raise
            raise InputError(Phrase("net.redirected", by=redirected_by, error=_said(exc))) from None
        try:
            body, location = _get_once(target, addresses, policy, deadline)
        except (httpcore.NetworkError, httpcore.TimeoutException, httpcore.ProtocolError) as exc:
            raise _network_error(exc, target, policy, deadline) from None
        if body is not None:
            return body, target.url

        assert location is not None
        if redirects >= policy.max_redirects:
            raise InputError(
                Phrase("net.redirects", display=target.display, n=policy.max_redirects)
            )
        redirects += 1
        redirected_by = target.display
        next_url = urllib.parse.urljoin(target.url, location)
        try:
            _, target = _parse_target(next_url)
        except InputError as exc:
            raise InputError(
                Phrase("net.redirect-bad", display=target.display, error=_said(exc))
            ) from None
