"""Which addresses are public: the one question every connection to a stranger's URL asks.

is_public_address(ip)        an ordinary public internet address (IANA special-purpose
                             ranges refused, IPv6 forms that embed IPv4 unwrapped)
_is_allowed(ip, policy)      public, or inside a network the operator allowed
"""

from __future__ import annotations

import ipaddress

from .policy import FetchPolicy, IPAddress, IPNetwork

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
