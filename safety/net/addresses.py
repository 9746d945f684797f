"""What a URL's host really means, and where a name leads (which addresses are public is
safety.net.public).

Everything here runs before a connection is opened: :func:`_parse_target` reads a URL's host
the way the system resolver will (``0x7f.1``, ``2130706433``, ``[::ffff:7f00:1]``, trailing
dots, percent-encoding and full-width digits all become the address they really mean),
:func:`_lookup` resolves a name once with a deadline, and every address it gives must pass
``public._is_allowed`` under the :class:`~safety.net.policy.FetchPolicy`.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Any

from safety.errors import InputError
from safety.i18n import Phrase

from .policy import FetchPolicy, IPAddress, _Deadline
from .public import _is_allowed

MAX_URL_LENGTH = 8192


@dataclass(frozen=True)
class _Wording:
    """How messages name the URL being checked, and what they advise instead of it (catalogue
    keys: the messages are said in their reader's language)."""

    noun: str  # "net.noun.photo": "photo URL"
    example: str  # a well-formed URL of that kind
    hint: str  # what to do when the URL leads into a local network

    def say(self, key: str, **values) -> Phrase:
        return Phrase(key, noun=Phrase(self.noun), hint=Phrase(self.hint), **values)


_PHOTO = _Wording("net.noun.photo", "https://example.com/photo.jpg", "net.hint.photo")


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


def _normalize_host(
    raw: str, bracketed: bool, display: str, words: _Wording = _PHOTO
) -> tuple[str, IPAddress | None]:
    """Turn the URL's host into (canonical host, IP address or None), or refuse it.

    Applies what resolvers and browsers apply: percent-decoding, lowercasing, IDNA (which
    also maps full-width digits and dots to ASCII), dropping one trailing dot, and the
    inet_aton number forms.
    """
    if bracketed:
        if "%" in raw:
            raise InputError(words.say("net.zone", display=display))
        try:
            ip = ipaddress.IPv6Address(raw)
        except ValueError:
            raise InputError(words.say("net.bad-ipv6", display=display)) from None
        return str(ip), ip

    invalid = InputError(words.say("net.bad-host", display=display))
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
            raise InputError(words.say("net.bad-ip", display=display))
        return str(ipv4), ipv4
    return host, None


def _quote(text: str, safe: str) -> str:
    """Percent-encode what may not appear on a request line, keeping existing escapes."""
    return urllib.parse.quote(text, safe=safe + "%!$&'()*+,;=:@-._~")


def _parse_target(url: str, words: _Wording = _PHOTO) -> tuple[urllib.parse.SplitResult, _Target]:
    """Check the syntax of ``url`` and return it split, plus its canonical target.

    ``words`` names the kind of URL in the messages (a photo URL unless told otherwise).
    """
    if not isinstance(url, str):
        raise InputError(words.say("net.not-text"))
    url = url.strip()
    if not url:
        raise InputError(words.say("net.empty"))
    if len(url) > MAX_URL_LENGTH:
        raise InputError(words.say("net.too-long", n=MAX_URL_LENGTH))
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise InputError(words.say("net.spaces"))
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        raise InputError(words.say("net.unparsable")) from None

    display = _netloc_for_display(parts.netloc)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        if scheme and parts.netloc:
            used = _printable(scheme, 20)
            raise InputError(words.say("net.scheme", display=display, used=used))
        raise InputError(words.say("net.no-scheme"))
    if "@" in parts.netloc:
        # Credentials in URLs end up in logs and would be sent to whatever host a
        # redirect names; this app never sends them.
        raise InputError(words.say("net.credentials", display=display))
    if not parts.hostname:
        raise InputError(words.say("net.no-host", example=words.example))
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise InputError(words.say("net.bad-port", display=display))

    host, ip = _normalize_host(
        parts.hostname, bracketed="[" in parts.netloc, display=display, words=words
    )
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
# Resolving
# --------------------------------------------------------------------------------------


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

    worker = threading.Thread(target=work, name="safety-net-dns", daemon=True)
    worker.start()
    worker.join(max(0.0, min(policy.connect_timeout, deadline.remaining())))
    if worker.is_alive():
        raise InputError(Phrase("net.dns-slow", display=target.display))

    addresses: list[IPAddress] = []
    for family, _type, _proto, _name, sockaddr in outcome.get("infos", ()):
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = ipaddress.ip_address(sockaddr[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise InputError(Phrase("net.dns-none", display=target.display))
    return addresses


def _resolve(target: _Target, policy: FetchPolicy, deadline: _Deadline) -> list[IPAddress]:
    """The addresses ``target`` leads to: its IP address, or the resolver's answer (once)."""
    return [target.ip] if target.ip is not None else _lookup(target, policy, deadline)


def _all_allowed(addresses: list[IPAddress], policy: FetchPolicy) -> bool:
    """True if EVERY address is allowed.

    Refusing when any address is private (rather than skipping it) keeps a DNS answer that
    mixes public and private addresses from deciding where we connect.
    """
    return all(_is_allowed(ip, policy) for ip in addresses)


def _validated_addresses(
    target: _Target, policy: FetchPolicy, deadline: _Deadline
) -> list[IPAddress]:
    """Resolve once and insist that every address is allowed; for photo downloads."""
    addresses = _resolve(target, policy, deadline)
    if not _all_allowed(addresses, policy):
        key = "net.private-ip" if target.ip is not None else "net.private-name"
        raise InputError(Phrase(key, display=target.display))
    return addresses
