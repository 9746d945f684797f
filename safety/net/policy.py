"""The limits of one download, and the deadline that enforces its total time."""

from __future__ import annotations

import ipaddress
import math
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from safety.errors import ConfigurationError
from safety.limits import MAX_PHOTO_BYTES

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one download. The defaults suit the public app.

    ``allowed_networks`` is the only way to reach non-public addresses, e.g. on-premises
    cameras in ``10.1.2.0/24``. Entries may be given as strings; they are converted to
    ``ipaddress`` networks on construction. The model endpoint client
    (:func:`safety.net.endpoint_http_client`) obeys the same allow-list and DNS timeout.
    """

    max_bytes: int = MAX_PHOTO_BYTES
    connect_timeout: float = 5.0  # also the time a DNS lookup may take
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

        Raises ConfigurationError naming the variable, the bad value and the accepted form.
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
