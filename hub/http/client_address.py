"""The client's address, the one thing every per-client limit counts by (login throttle, rate limit).

Without trusted proxies (PANTAU_TRUSTED_PROXIES empty, the default) it is the socket peer, and
X-Forwarded-For is ignored: anyone can write that header. Behind reverse proxies, list their networks:
when the peer is one of them, X-Forwarded-For is read from right to left (each proxy appends the address
it saw), and the first address that is not a trusted proxy is the client. A malformed entry ends the walk
at the last trusted hop, which is then taken as the client: a client cannot use garbage to pass for
someone else.

The server must not rewrite the peer itself (uvicorn's proxy headers are off in `pantau serve`), or the peer
would already be whatever the header said.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.requests import HTTPConnection

from hub.settings import IPNetwork

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN = "unknown"


def _parse(text: str) -> IPAddress | None:
    """An address from a peer or an X-Forwarded-For entry (`1.2.3.4`, `1.2.3.4:5678`, `::1`, `[::1]:443`);
    an IPv4-mapped IPv6 address as its IPv4 address."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, proxies: Sequence[IPNetwork]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def client_address(connection: HTTPConnection, trusted_proxies: Sequence[IPNetwork]) -> str:
    """The client's address as text (IPv6 compressed); "unknown" when the server has no peer address."""
    peer = _parse(connection.client.host) if connection.client else None
    if peer is None:
        return UNKNOWN
    address = peer
    if not _trusted(address, trusted_proxies):
        return str(address)
    hops = [hop for header in connection.headers.getlist("x-forwarded-for") for hop in header.split(",")]
    for hop in reversed(hops):
        if not hop.strip():
            continue
        parsed = _parse(hop)
        if parsed is None:
            break
        address = parsed
        if not _trusted(address, trusted_proxies):
            break
    return str(address)
