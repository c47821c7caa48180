"""What one client is, for the counters that limit clients by address.

An IPv6 client holds a whole /64 (a home or office gets one; SLAAC and privacy extensions pick addresses from
it at will), so counting by the full address would give one client 2^64 fresh budgets. Counting by the /64
is what every limit that meets an anonymous caller uses: the login throttle (hub.access.throttle) and the
rate-limit bucket of anonymous requests (Principal.rate_bucket).
"""

from __future__ import annotations

import ipaddress


def address_bucket(address: str) -> str:
    """What the address counters count by: the address itself, or an IPv6 client's /64. Text that is not an
    address ("unknown") counts as itself, cut to 64 characters."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)
