"""Download a photo from a user-given URL without opening a door into private networks.

The app is public, so every URL it fetches is chosen by a stranger. Without care, a URL
such as ``http://169.254.169.254/`` (cloud metadata), ``http://localhost:7860/`` or
``http://10.0.0.5/admin`` would make *our server* send requests into networks the
stranger cannot reach (server-side request forgery, SSRF). This module is the only place
that downloads user-given URLs, and it enforces:

* only ``http``/``https`` URLs, without ``user:pass@``, with a host;
* the host is parsed the way the system resolver parses it: ``0177.0.0.1``, ``0x7f.1``,
  ``2130706433``, ``127.1``, ``[::ffff:7f00:1]``, trailing dots, percent-encoding and
  full-width digits all end up as the address they really mean;
* every address a name resolves to must be public (see :func:`is_public_address`), unless
  it lies in a network the operator explicitly allowed (``FetchPolicy.allowed_networks``);
* the connection goes to the very address that was checked. We resolve once and pin the
  result, so a DNS server that answers "public" to the check and "private" to the connect
  (DNS rebinding) gains nothing;
* redirects are followed by hand, and every hop gets all of the checks again;
* the body is streamed with a size cap, per-read timeouts and a deadline for the whole
  download (DNS, connects, TLS handshakes, redirects and body included).

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

Errors are :class:`safety.errors.InputError` with messages meant for the person who typed
the URL. They name the host (and port), never the path or query string, which may carry
access tokens.
"""

from __future__ import annotations

import http
import ipaddress
import math
import os
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpcore

from safety.errors import ConfigurationError, InputError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_URL_LENGTH = 8192
USER_AGENT = b"safety-inspection-photo-fetcher/1.0"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Content types that are certainly a web page rather than a photo. Anything else is
# passed on: the image decoder is the real judge, and many servers label photos
# "application/octet-stream" or nothing at all.
WEB_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_UPLOAD_HINT = "Use a public photo URL, or upload the photo instead."


# --------------------------------------------------------------------------------------
# Policy
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one download. The defaults suit the public app.

    ``allowed_networks`` is the only way to reach non-public addresses, e.g. on-premises
    cameras in ``10.1.2.0/24``. Entries may be given as strings; they are converted to
    ``ipaddress`` networks on construction.
    """

    max_bytes: int = 20 * 1024 * 1024
    connect_timeout: float = 5.0
    read_timeout: float = 15.0  # per read: the longest silence we wait through
    total_timeout: float = 30.0  # whole download, redirects included, enforced
    max_redirects: int = 5
    allowed_networks: tuple[IPNetwork, ...] = ()

    def __post_init__(self) -> None:
        if not _is_int(self.max_bytes) or self.max_bytes <= 0:
            raise ConfigurationError(
                f"max_bytes must be a positive whole number of bytes, not {self.max_bytes!r}."
            )
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            value = getattr(self, name)
            if (
                not isinstance(value, int | float)
                or isinstance(value, bool)
                or not (math.isfinite(value) and value > 0)
            ):
                raise ConfigurationError(f"{name} must be a positive number of seconds.")
        if not _is_int(self.max_redirects) or self.max_redirects < 0:
            raise ConfigurationError("max_redirects must be a whole number, 0 or more.")
        if isinstance(self.allowed_networks, str | bytes):
            # A bare string would otherwise be iterated character by character.
            raise ConfigurationError(
                "allowed_networks must be a tuple of networks, e.g. ('10.1.2.0/24',)."
            )
        networks = tuple(
            _parse_network(entry, "allowed_networks") for entry in self.allowed_networks
        )
        object.__setattr__(self, "allowed_networks", networks)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> FetchPolicy:
        """Build a policy from environment variables; unset variables keep the defaults.

        ``SAFETY_ALLOWED_NETWORKS``: comma-separated networks or single addresses,
        e.g. ``"10.1.2.0/24, 192.168.5.7/32"``.
        ``SAFETY_MAX_DOWNLOAD_MB``: size cap in megabytes (MiB), e.g. ``"20"`` or ``"0.5"``.

        Raises ConfigurationError naming the variable and the bad value.
        """
        kwargs: dict[str, Any] = {}

        raw_networks = environ.get("SAFETY_ALLOWED_NETWORKS", "")
        kwargs["allowed_networks"] = tuple(
            _parse_network(entry.strip(), "SAFETY_ALLOWED_NETWORKS")
            for entry in raw_networks.split(",")
            if entry.strip()
        )

        raw_mb = environ.get("SAFETY_MAX_DOWNLOAD_MB", "").strip()
        if raw_mb:
            try:
                megabytes = float(raw_mb)
            except ValueError:
                megabytes = math.nan
            if not (math.isfinite(megabytes) and megabytes > 0):
                raise ConfigurationError(
                    f"SAFETY_MAX_DOWNLOAD_MB must be a positive number of megabytes such as "
                    f"20 or 0.5, not {raw_mb!r}."
                )
            kwargs["max_bytes"] = max(1, int(megabytes * 1024 * 1024))

        return cls(**kwargs)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_network(entry: object, source: str) -> IPNetwork:
    """One allowed network from a string (or an ``ipaddress`` network), checked."""
    if isinstance(entry, ipaddress.IPv4Network | ipaddress.IPv6Network):
        network = entry
    elif isinstance(entry, str):
        text = entry.strip()
        try:
            network = ipaddress.ip_network(text, strict=True)
        except ValueError:
            try:
                loose = ipaddress.ip_network(text, strict=False)
            except ValueError:
                raise ConfigurationError(
                    f"{source}: {text!r} is not an IP network. Use the form 10.1.2.0/24 or "
                    f"192.168.5.7/32, separated by commas."
                ) from None
            raise ConfigurationError(
                f"{source}: {text!r} has bits set after the prefix length; did you mean {loose}?"
            ) from None
    else:
        raise ConfigurationError(f"{source}: {entry!r} is not an IP network such as 10.1.2.0/24.")
    if network.prefixlen == 0:
        # 0.0.0.0/0 or ::/0 would quietly switch the whole protection off.
        raise ConfigurationError(
            f"{source}: {network} would allow every address and switch off the protection "
            f"against private-network access. List only the networks you need."
        )
    return network


# --------------------------------------------------------------------------------------
# Which addresses are public
# --------------------------------------------------------------------------------------

# IANA special-purpose registries (RFC 6890 and successors). Kept explicit rather than
# relying only on ipaddress's flags, whose coverage differs between Python versions (3.11
# for instance counts multicast as "global" and misses most of 192.0.0.0/24).
_BLOCKED_V4 = tuple(
    ipaddress.IPv4Network(net)
    for net in (
        "0.0.0.0/8",  # "this network", includes the unspecified 0.0.0.0
        "10.0.0.0/8",  # private (RFC 1918)
        "100.64.0.0/10",  # shared address space / carrier-grade NAT (RFC 6598)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, incl. cloud metadata 169.254.169.254
        "172.16.0.0/12",  # private (RFC 1918)
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation TEST-NET-1
        "192.31.196.0/24",  # AS112-v4
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",  # private (RFC 1918)
        "192.175.48.0/24",  # direct delegation AS112
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation TEST-NET-2
        "203.0.113.0/24",  # documentation TEST-NET-3
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, incl. broadcast 255.255.255.255
    )
)
_BLOCKED_V6 = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "::/128",  # unspecified
        "::1/128",  # loopback
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215): translates into private space
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments (Teredo is handled before this check)
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation (RFC 9637)
        "5f00::/16",  # segment routing SIDs
        "fc00::/7",  # unique local addresses (private)
        "fe80::/10",  # link-local
        "fec0::/10",  # deprecated site-local
        "ff00::/8",  # multicast
    )
)
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d
_IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")  # SIIT ::ffff:0:a.b.c.d
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # well-known NAT64 prefix


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...] | None:
    """The IPv4 addresses an IPv6 address really leads to, or None if it is plain IPv6.

    Mapped (``::ffff:a.b.c.d``), compatible, translated, NAT64, 6to4 and Teredo addresses
    all reach an IPv4 host, so ``::ffff:127.0.0.1`` is exactly as local as 127.0.0.1.
    """
    if ip.ipv4_mapped is not None:
        return (ip.ipv4_mapped,)
    if ip in _IPV4_COMPATIBLE or ip in _IPV4_TRANSLATED or ip in _NAT64:
        return (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF),)
    if ip.sixtofour is not None:
        return (ip.sixtofour,)
    if ip.teredo is not None:
        return ip.teredo  # (server, client): both must be public
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True if ``ip`` is an ordinary public internet address that we may connect to.

    False for loopback, private, link-local, multicast, reserved, unspecified, broadcast,
    shared (CGNAT), benchmarking and documentation ranges, and for IPv6 forms that embed
    such an IPv4 address. The allow-list of the policy is *not* consulted here.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False  # zone ids only make sense for link-local destinations
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return all(is_public_address(v4) for v4 in embedded)
        blocked: tuple[IPNetwork, ...] = _BLOCKED_V6
    else:
        blocked = _BLOCKED_V4
    if any(ip in network for network in blocked):
        return False
    # Second opinion from the standard library, in case a range is missing above.
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _is_allowed(ip: IPAddress, policy: FetchPolicy) -> bool:
    """Public, or inside one of the networks the operator allowed explicitly."""
    if is_public_address(ip):
        return True
    candidates: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        candidates.append(ip.ipv4_mapped)
    # ``in`` is simply False between an IPv4 address and an IPv6 network.
    return any(c in network for c in candidates for network in policy.allowed_networks)


# --------------------------------------------------------------------------------------
# URL and host syntax
# --------------------------------------------------------------------------------------

_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
# A last label that looks like a number makes the whole host an IPv4 address for the
# resolver (and for browsers); if it is not a valid one we refuse rather than guess.
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
# inet_aton's number syntax: hex with 0x, octal with a leading 0, else decimal.
_INET_ATON_PART = re.compile(r"0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*")


def _parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Parse ``host`` like C ``inet_aton`` does, which getaddrinfo uses for numeric hosts.

    Accepts 1 to 4 dot-separated numbers in decimal, octal (``0177``) or hex (``0x7f``);
    the last number fills all remaining bytes, so ``127.1`` is 127.0.0.1 and
    ``2130706433`` is 127.0.0.1. Returns None if ``host`` is not such a form.
    """
    parts = host.lower().split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        if not _INET_ATON_PART.fullmatch(part):
            return None
        if part.startswith("0x"):
            numbers.append(int(part[2:], 16))
        elif part.startswith("0") and len(part) > 1:
            numbers.append(int(part[1:], 8))
        else:
            numbers.append(int(part, 10))
    *leading, last = numbers
    if any(n > 0xFF for n in leading) or last >= 1 << (8 * (4 - len(leading))):
        return None
    value = last
    for index, number in enumerate(leading):
        value |= number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _printable(text: str, limit: int = 80) -> str:
    """Make untrusted text safe to show in a one-line message."""
    cleaned = "".join(ch if ch.isprintable() and not ch.isspace() else "?" for ch in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _netloc_for_display(netloc: str) -> str:
    """host[:port] of a netloc, without any user:password part."""
    return _printable(netloc.rpartition("@")[2]) or "(no host)"


@dataclass(frozen=True)
class _Target:
    """A checked URL, with the host in the form the resolver would see."""

    scheme: str  # "http" or "https"
    host: str  # lowercase ASCII name, or an IP address in standard notation
    ip: IPAddress | None  # set when the host is an IP address (in any spelling)
    port: int
    target: str  # path and query, ASCII, as sent on the request line
    display: str  # host[:port] for messages; never the path or query

    @property
    def host_for_url(self) -> str:
        return f"[{self.host}]" if isinstance(self.ip, ipaddress.IPv6Address) else self.host

    @property
    def netloc(self) -> str:
        default = 443 if self.scheme == "https" else 80
        return self.host_for_url if self.port == default else f"{self.host_for_url}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.target}"


def _normalize_host(raw: str, bracketed: bool, display: str) -> tuple[str, IPAddress | None]:
    """Turn the URL's host into (canonical host, IP address or None), or refuse it.

    Applies what resolvers and browsers apply: percent-decoding, lowercasing, IDNA (which
    also maps full-width digits and dots to ASCII), dropping one trailing dot, and the
    inet_aton number forms.
    """
    if bracketed:
        if "%" in raw:
            raise InputError(
                f"The photo URL for {display} uses an IPv6 zone identifier (the part after "
                f"'%'), which points into a local network. {_UPLOAD_HINT}"
            )
        try:
            ip = ipaddress.IPv6Address(raw)
        except ValueError:
            raise InputError(
                f"The photo URL for {display} has an invalid IPv6 address in brackets."
            ) from None
        return str(ip), ip

    invalid = InputError(
        f"The photo URL has an invalid host name ({display}). Check the address for typos."
    )
    try:
        host = urllib.parse.unquote(raw, errors="strict").lower()
    except UnicodeDecodeError:
        raise invalid from None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise invalid from None
    if host.endswith("."):
        host = host[:-1]  # "example.com." is the same fully qualified name
    labels = host.split(".")
    if not host or len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise invalid
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        ipv4 = _parse_ipv4(host)
        if ipv4 is None:
            raise InputError(
                f"The photo URL has an invalid IP address ({display}). Check the address for typos."
            )
        return str(ipv4), ipv4
    return host, None


def _quote(text: str, safe: str) -> str:
    """Percent-encode what may not appear on a request line, keeping existing escapes."""
    return urllib.parse.quote(text, safe=safe + "%!$&'()*+,;=:@-._~")


def _parse_target(url: str) -> tuple[urllib.parse.SplitResult, _Target]:
    """Check the syntax of ``url`` and return it split, plus its canonical target."""
    if not isinstance(url, str):
        raise InputError("The photo URL must be text.")
    url = url.strip()
    if not url:
        raise InputError("Please enter a photo URL starting with http:// or https://.")
    if len(url) > MAX_URL_LENGTH:
        raise InputError(f"The photo URL is too long (over {MAX_URL_LENGTH} characters).")
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise InputError(
            "The photo URL contains spaces or invisible characters. Copy the address again, "
            "or replace spaces with %20."
        )
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        raise InputError(
            "The photo URL is not a valid address (check the brackets around IPv6 addresses)."
        ) from None

    display = _netloc_for_display(parts.netloc)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        used = f" (this one starts with {_printable(scheme, 20)}:)" if scheme else ""
        where = f" for {display}" if parts.netloc else ""
        raise InputError(f"The photo URL{where} must start with http:// or https://{used}.")
    if "@" in parts.netloc:
        # Credentials in URLs end up in logs and would be sent to whatever host a
        # redirect names; this app never sends them.
        raise InputError(
            f"The photo URL for {display} contains a user name or password (the part before "
            f"'@'). Remove it; this app does not log in to other sites."
        )
    if not parts.hostname:
        raise InputError("The photo URL has no host name, e.g. https://example.com/photo.jpg.")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise InputError(f"The photo URL has an invalid port number ({display}).")

    host, ip = _normalize_host(parts.hostname, bracketed="[" in parts.netloc, display=display)
    if port is None:
        port = 443 if scheme == "https" else 80
    if parts.hostname != host:
        # Show what an unusual spelling stands for: "0x7f.1 (127.0.0.1)".
        display = f"{display} ({host})"
    target = _quote(parts.path or "/", safe="/")
    if parts.query:
        target += "?" + _quote(parts.query, safe="/?")
    return parts, _Target(scheme, host, ip, port, target, display)


def check_url(url: str) -> urllib.parse.SplitResult:
    """Check the syntax of a photo URL; raise InputError with a clear message if unusable.

    Syntax only: scheme http/https, no user:password@, a host (in a valid spelling) and a
    valid port. Whether the address is public is decided by :func:`fetch_image_bytes`
    when it resolves the host. Returns ``urllib.parse.urlsplit(url.strip())``.
    """
    parts, _ = _parse_target(url)
    return parts


# --------------------------------------------------------------------------------------
# Resolving and connecting
# --------------------------------------------------------------------------------------


class _Deadline:
    """The end of the whole download; clamps each network wait so it cannot overrun."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        self.cut_short = False  # the last wait was shortened to fit the deadline

    def remaining(self) -> float:
        return self._end - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def clamp(self, timeout: float | None, error: type[Exception]) -> float:
        """The timeout to use for one wait: ``timeout``, but never past the deadline."""
        remaining = self.remaining()
        if remaining <= 0:
            self.cut_short = True
            raise error("total download time exceeded")
        self.cut_short = timeout is None or remaining < timeout
        return remaining if timeout is None else min(timeout, remaining)


def _lookup(target: _Target, policy: FetchPolicy, deadline: _Deadline) -> list[IPAddress]:
    """Resolve a host name with getaddrinfo, within the connect timeout and deadline.

    getaddrinfo has no timeout of its own, so it runs in a daemon thread we stop waiting
    for; a hung lookup then costs a sleeping thread, not a stuck request.
    """
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["infos"] = socket.getaddrinfo(
                target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except (OSError, UnicodeError) as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="photo-fetch-dns", daemon=True)
    worker.start()
    worker.join(max(0.0, min(policy.connect_timeout, deadline.remaining())))
    if worker.is_alive():
        raise InputError(
            f"Looking up the address of {target.display} took too long. Check the address, "
            f"or try again later."
        )

    addresses: list[IPAddress] = []
    for family, _type, _proto, _name, sockaddr in outcome.get("infos", ()):
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = ipaddress.ip_address(sockaddr[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise InputError(
            f"Could not find the server {target.display}. Check the address for typos."
        )
    return addresses


def _validated_addresses(
    target: _Target, policy: FetchPolicy, deadline: _Deadline
) -> list[IPAddress]:
    """Resolve once and insist that EVERY address is allowed.

    Refusing when any address is private (rather than skipping it) keeps a DNS answer that
    mixes public and private addresses from deciding where we connect.
    """
    addresses = [target.ip] if target.ip is not None else _lookup(target, policy, deadline)
    if not all(_is_allowed(ip, policy) for ip in addresses):
        what = "is" if target.ip is not None else "points to"
        raise InputError(
            f"{target.display} {what} a private, local or reserved network address, so this "
            f"app will not download from it. {_UPLOAD_HINT} (For on-premises cameras, an "
            f"administrator can allow their network with SAFETY_ALLOWED_NETWORKS.)"
        )
    return addresses


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
    """Connects only to addresses validated in advance for one host and port."""

    def __init__(
        self, target: _Target, addresses: Iterable[IPAddress], deadline: _Deadline
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
                    timeout=self._deadline.clamp(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                if self._deadline.expired:
                    break
                continue
            return _DeadlineStream(stream, self._deadline)
        raise error

    def sleep(self, seconds: float) -> None:  # pragma: no cover - retries are disabled
        time.sleep(seconds)


def _ssl_context() -> ssl.SSLContext:
    """Certificate verification on, hostname checking on, certifi's CA bundle."""
    return httpcore.default_ssl_context()


# --------------------------------------------------------------------------------------
# Downloading
# --------------------------------------------------------------------------------------


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


def _too_large(target: _Target, policy: FetchPolicy, size: str) -> InputError:
    return InputError(
        f"The photo at {target.display} is too large ({size}; the limit is "
        f"{_human_size(policy.max_bytes)}). Use a smaller photo."
    )


def _status_error(target: _Target, status: int) -> InputError:
    try:
        # Our own reason phrase: the server's text is untrusted.
        reason = f" {http.HTTPStatus(status).phrase}"
    except ValueError:
        reason = ""
    return InputError(
        f"The server at {target.display} answered {status}{reason} instead of sending the "
        f"photo. Check that the URL is correct and the photo is publicly accessible."
    )


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
                raise InputError(
                    f"{target.display} sent HTML: the URL points to a web page, not an image. "
                    f"Open the page, right-click the photo and copy the image address instead."
                )

            declared = _header(response.headers, b"content-length")
            if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                # Refuse before reading a single byte of the body.
                raise _too_large(target, policy, _human_size(int(declared)))

            body = bytearray()
            for chunk in response.iter_stream():
                body += chunk
                if len(body) > policy.max_bytes:
                    # Stop now; leaving the block closes the connection unread.
                    raise _too_large(target, policy, f"more than {_human_size(policy.max_bytes)}")
            if not body:
                raise InputError(
                    f"The server at {target.display} sent an empty file instead of a photo."
                )
            return bytes(body), None


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
        return InputError(
            f"Downloading the photo from {where} took longer than {deadline.seconds:g} "
            f"seconds, so it was stopped. Try a smaller photo, or upload it instead."
        )
    if isinstance(exc, httpcore.ConnectTimeout):
        return InputError(
            f"{where} did not accept a connection within {policy.connect_timeout:g} seconds. "
            f"Check that the server is up and reachable from the internet."
        )
    if isinstance(exc, httpcore.TimeoutException):
        return InputError(
            f"{where} stopped responding (nothing received for {policy.read_timeout:g} "
            f"seconds). Try again later, or upload the photo instead."
        )
    if isinstance(exc, httpcore.ConnectError):
        for cause in _cause_chain(exc):
            if isinstance(cause, ssl.SSLCertVerificationError):
                return InputError(
                    f"The HTTPS certificate of {where} could not be verified, so the download "
                    f"was stopped. Check the address, or upload the photo instead."
                )
            if isinstance(cause, ssl.SSLError):
                return InputError(
                    f"Could not set up a secure (HTTPS) connection with {where}. Check the "
                    f"address, or upload the photo instead."
                )
        return InputError(
            f"Could not connect to {where}. Check the address and that the server is up."
        )
    if isinstance(exc, httpcore.ProtocolError):
        return InputError(f"The server at {where} sent an invalid HTTP response.")
    return InputError(f"The connection to {where} broke off during the download. Please try again.")


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
            raise InputError(
                f"The server at {redirected_by} redirected the download: {exc}"
            ) from None
        try:
            body, location = _get_once(target, addresses, policy, deadline)
        except (httpcore.NetworkError, httpcore.TimeoutException, httpcore.ProtocolError) as exc:
            raise _network_error(exc, target, policy, deadline) from None
        if body is not None:
            return body, target.url

        assert location is not None
        if redirects >= policy.max_redirects:
            raise InputError(
                f"{target.display} redirected more than {policy.max_redirects} times. Use the "
                f"direct address of the photo."
            )
        redirects += 1
        redirected_by = target.display
        next_url = urllib.parse.urljoin(target.url, location)
        try:
            _, target = _parse_target(next_url)
        except InputError as exc:
            raise InputError(f"{target.display} redirected to an unusable address: {exc}") from None
