"""Webhook SSRF: only globally routable addresses, with the IPv6 forms that carry an IPv4 address (mapped,
compatible, 6to4, NAT64 and local-use NAT64, Teredo) unwrapped and checked, when a URL is set and at every
delivery attempt."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from hub.access.grants import revoke_grant
from hub.core.clock import utcnow
from hub.webhooks.addresses import refusal
from hub.webhooks.errors import WebhookError, WebhookErrorCode
from hub.webhooks.sender import Outcome, Request, make_client, post
from hub.webhooks.urls import target
from tests.graphql import gql_field, raw_id
from tests.test_webhooks import CREATE_GRANT, SET_HOOK

# (address, may a webhook connect to it)
ADDRESSES = [
    # IPv4
    ("8.8.8.8", True),
    ("203.0.113.5", False),  # documentation
    ("127.0.0.1", False),
    ("10.1.2.3", False),
    ("172.16.0.1", False),
    ("192.168.1.1", False),
    ("169.254.169.254", False),  # cloud metadata
    ("100.64.0.1", False),  # carrier-grade NAT
    ("0.0.0.0", False),
    ("224.0.0.1", False),  # multicast
    ("240.0.0.1", False),  # reserved
    ("255.255.255.255", False),
    # plain IPv6
    ("2606:4700:4700::1111", True),
    ("2a00:1450:4001:80b::200e", True),
    ("::1", False),
    ("::", False),
    ("fe80::1", False),  # link-local
    ("fec0::1", False),  # site-local (deprecated)
    ("fc00::1", False),
    ("fd12:3456::1", False),  # unique local
    ("ff02::1", False),  # multicast
    ("100::1", False),  # discard-only
    ("2001:db8::1", False),  # documentation
    ("3fff::1", False),  # documentation
    ("2001:2::1", False),  # benchmarking
    ("5f00::1", False),  # SRv6 SIDs
    ("4000::1", False),  # not allocated
    # IPv4-mapped
    ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False),
    ("::ffff:8.8.8.8", True),
    # IPv4-compatible (deprecated): refused whatever it carries
    ("::7f00:1", False),
    ("::a00:1", False),
    ("::808:808", False),
    # NAT64, well-known prefix
    ("64:ff9b::7f00:1", False),
    ("64:ff9b::a9fe:a9fe", False),
    ("64:ff9b::808:808", True),
    # NAT64, local-use prefix: refused whatever it carries
    ("64:ff9b:1::7f00:1", False),
    ("64:ff9b:1::808:808", False),
    # 6to4
    ("2002:7f00:1::1", False),
    ("2002:a00:1::1", False),
    ("2002:c0a8:101::1", False),
    ("2002:808:808::1", True),
    # Teredo (server 65.54.227.120; client 127.0.0.1, or a public one): never routable
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),
    ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", False),
]


@pytest.mark.parametrize(("text", "allowed"), ADDRESSES)
def test_only_globally_routable_addresses(text: str, allowed: bool) -> None:
    assert (refusal(ipaddress.ip_address(text)) is None) is allowed


@pytest.mark.parametrize(
    ("text", "carried"),
    [
        ("::7f00:1", "127.0.0.1"),
        ("64:ff9b::7f00:1", "127.0.0.1"),
        ("64:ff9b:1::a00:1", "10.0.0.1"),
        ("2002:7f00:1::1", "127.0.0.1"),
        ("::ffff:169.254.169.254", "169.254.169.254"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.1"),
    ],
)
def test_the_refusal_names_the_address_carried(text: str, carried: str) -> None:
    assert refusal(ipaddress.ip_address(text)) == f"it carries {carried}"


FINDING_URLS = [
    "http://[::7f00:1]/",
    "http://[fec0::1]/hook",
    "https://[64:ff9b::7f00:1]/hook",
    "https://[2002:7f00:1::1]/hook",
    "https://[64:ff9b:1::a00:1]:8443/hook",
    "http://[::ffff:7f00:1]/hook",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook",
    "http://2130706433/",  # 127.0.0.1 as one number
    "http://0x7f.1/",
]


@pytest.fixture
async def grant(http: httpx.AsyncClient) -> AsyncIterator[str]:
    created = await gql_field(
        http,
        CREATE_GRANT,
        {
            "input": {
                "agency": "Bawaslu",
                "regionCodes": ["31"],
                "fields": ["Case.title"],
                "expiresAt": (utcnow() + timedelta(days=3)).isoformat(),
            }
        },
    )
    grant_id: str = created["grant"]["id"]
    yield grant_id
    await revoke_grant(raw_id(grant_id))


@pytest.mark.parametrize("url", FINDING_URLS)
async def test_such_urls_are_refused_when_set(http: httpx.AsyncClient, grant: str, url: str) -> None:
    """`http` is the app with the production default: no private addresses."""
    result = await gql_field(http, SET_HOOK, {"id": grant, "url": url})
    [error] = result["errors"]
    assert (error["field"], error["code"]) == ("url", "URL_NOT_ALLOWED"), url
    assert "not a public address" in error["message"]
    assert result["secret"] is None


@pytest.mark.parametrize("url", FINDING_URLS)
async def test_such_urls_are_refused_at_each_attempt_before_anything_is_sent(url: str) -> None:
    """A URL stored before this check existed (or while private addresses were allowed) is refused when a
    delivery is attempted."""
    with pytest.raises(WebhookError) as refused:
        await target(url, allow_private=False)
    assert refused.value.code is WebhookErrorCode.URL_NOT_ALLOWED
    request = Request("d1", "case.updated", url, "{}", "whsec_x", utcnow())
    async with make_client(2.0) as client:
        outcome, attempt = await post(client, request, allow_private=False, limit=2.0)
    assert outcome is Outcome.REFUSED
    assert attempt.status_code is None
    assert attempt.error is not None and "not a public address" in attempt.error


@pytest.mark.parametrize(
    ("url", "pinned", "host"),
    [
        (
            "https://[2606:4700:4700::1111]/hook",
            "https://[2606:4700:4700::1111]/hook",
            "[2606:4700:4700::1111]",
        ),
        ("http://[64:ff9b::808:808]:8080/h", "http://[64:ff9b::808:808]:8080/h", "[64:ff9b::808:808]:8080"),
        ("http://8.8.8.8/h?x=1", "http://8.8.8.8/h?x=1", "8.8.8.8"),
    ],
)
async def test_public_literals_are_pinned(url: str, pinned: str, host: str) -> None:
    where = await target(url, allow_private=False)
    assert (where.url, where.headers) == (pinned, {"Host": host})
