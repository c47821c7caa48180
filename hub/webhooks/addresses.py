"""Which IP addresses a webhook may connect to: globally routable unicast only (SSRF guard).

Python's `is_global` is not enough for IPv6: which blocks it calls private changes between Python versions,
and it judges an address that embeds an IPv4 address by the IPv6 prefix alone, so `::7f00:1` (IPv4-compatible
127.0.0.1), `64:ff9b::a00:1` (NAT64 of 10.0.0.1) or `2002:7f00:1::1` (6to4 of 127.0.0.1) pass as global. Here:

- IPv4: `is_global` and not multicast (nor anything Python counts as reserved or unspecified).
- IPv6 forms that carry an IPv4 address are unwrapped, and the IPv4 address must pass:
  IPv4-mapped `::ffff:0:0/96` (it is that IPv4 address on the socket), NAT64 `64:ff9b::/96` (RFC 6052,
  translated to it by a NAT64 gateway) and 6to4 `2002::/16` (RFC 3056, relayed to it).
- Forms that are never globally routable are refused whatever they carry, and what they carry is named in
  the refusal: IPv4-compatible `::/96` (deprecated, RFC 4291), local-use NAT64 `64:ff9b:1::/48` (RFC 8215:
  translated by whatever the local network decides), Teredo `2001::/32` (RFC 4380; server and client).
- Any other IPv6 address must be global unicast (`2000::/3`, IANA) outside the special-purpose blocks of it
  that are not globally reachable: that leaves out loopback, unspecified, link-local, site-local
  (`fec0::/10`, deprecated but still routed locally by some stacks), unique-local, multicast, discard-only,
  documentation and benchmarking blocks, and SRv6 SIDs, without relying on Python's table.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_net = ipaddress.IPv6Network

GLOBAL_UNICAST = _net("2000::/3")
# Inside 2000::/3 but not globally reachable (IANA IPv6 special-purpose address registry).
NOT_GLOBAL_IN_2000 = (
    _net("2001::/23"),  # IETF protocol assignments (Teredo, benchmarking, ORCHID, ...)
    _net("2001:db8::/32"),  # documentation
    _net("3fff::/20"),  # documentation (RFC 9637)
)
IPV4_MAPPED = _net("::ffff:0:0/96")
IPV4_COMPATIBLE = _net("::/96")
NAT64_WELL_KNOWN = _net("64:ff9b::/96")
NAT64_LOCAL_USE = _net("64:ff9b:1::/48")
SIX_TO_FOUR = _net("2002::/16")
TEREDO = _net("2001::/32")


def _low_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries, by its form; empty for a plain IPv6 address."""
    if address in IPV4_MAPPED or address in NAT64_WELL_KNOWN or address in NAT64_LOCAL_USE:
        return [_low_ipv4(address)]
    if address in IPV4_COMPATIBLE:
        return [] if int(address) <= 1 else [_low_ipv4(address)]  # :: and ::1 carry nothing
    if address in SIX_TO_FOUR and address.sixtofour is not None:
        return [address.sixtofour]
    if address in TEREDO and address.teredo is not None:
        return list(address.teredo)
    return []


def _ipv4_public(address: ipaddress.IPv4Address) -> bool:
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def refusal(address: IPAddress) -> str | None:
    """None when a webhook may connect to `address`; otherwise why not, beyond "not a public address"
    (empty when there is nothing to add)."""
    if isinstance(address, ipaddress.IPv4Address):
        return None if _ipv4_public(address) else ""
    carried = embedded_ipv4(address)
    for inner in carried:
        if not _ipv4_public(inner):
            return f"it carries {inner}"
    if address in IPV4_COMPATIBLE or address in NAT64_LOCAL_USE or address in TEREDO:
        return "" if int(address) <= 1 else "a form of address that is not globally routable"
    if carried:  # mapped, NAT64 or 6to4 of a public IPv4 address
        return None
    if address not in GLOBAL_UNICAST or any(address in network for network in NOT_GLOBAL_IN_2000):
        return ""
    return None
