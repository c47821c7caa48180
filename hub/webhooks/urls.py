"""Which webhook URLs are allowed, and where a request to one goes (SSRF guard).

Checked when a URL is set (`check_url`) and again at every delivery attempt (`target`, called by the
sender), since what a name resolves to can change: every address the host resolves to must be globally
routable (hub.webhooks.addresses), and the attempt connects to the address that was checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from hub.i18n import Text
from hub.webhooks.addresses import IPAddress, refusal
from hub.webhooks.errors import WebhookError, WebhookErrorCode

MAX_URL_LENGTH = 2000
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    """Where to connect: `url` with the checked address in place of the host when `host` is set (the Host
    header and, for https, the TLS server name then carry the original host)."""

    url: str
    host: str | None = None
    server_name: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Host": self.host} if self.host else {}

    @property
    def extensions(self) -> dict[str, str]:
        return {"sni_hostname": self.server_name} if self.server_name else {}


def _invalid(message: Text) -> WebhookError:
    return WebhookError(WebhookErrorCode.INVALID_URL, message, "url")


def parse_url(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an acceptable URL, or WebhookError(INVALID_URL)."""
    if not url or len(url) > MAX_URL_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise _invalid(Text("webhooks.url_format", max_length=MAX_URL_LENGTH))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise _invalid(Text("webhooks.url_scheme"))
    if parts.username is not None or parts.password is not None:
        raise _invalid(Text("webhooks.url_credentials"))
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise _invalid(Text("webhooks.url_port")) from None
    if not parts.hostname:
        raise _invalid(Text("webhooks.url_no_host"))
    return scheme, parts.hostname, port


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to; OSError when it does not resolve."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise OSError(f"{host} has no address")
    return found


def _check_addresses(host: str, addresses: list[IPAddress]) -> None:
    """WebhookError(URL_NOT_ALLOWED) unless every address is globally routable (hub.webhooks.addresses):
    one private address among them is enough to refuse, since the connection could go to any of them."""
    for address in addresses:
        detail = refusal(address)
        if detail is not None:
            raise WebhookError(
                WebhookErrorCode.URL_NOT_ALLOWED,
                Text(
                    "webhooks.url_not_public",
                    host=host,
                    address=address,
                    detail=f" ({detail})" if detail else "",
                ),
                "url",
            )


async def check_url(url: str, *, allow_private: bool) -> str:
    """The URL, stripped, when a webhook may point at it; WebhookError otherwise."""
    url = url.strip()
    _, host, port = parse_url(url)
    if allow_private:
        return url
    try:
        addresses = await resolve(host, port)
    except OSError:
        raise _invalid(Text("webhooks.url_unresolved", host=host)) from None
    _check_addresses(host, addresses)
    return url


async def target(url: str, *, allow_private: bool) -> Target:
    """Where an attempt connects. Raises WebhookError(URL_NOT_ALLOWED) for a private address and OSError when
    the host does not resolve (both before anything is sent)."""
    scheme, host, port = parse_url(url)
    if allow_private:
        return Target(url=url)
    addresses = await resolve(host, port)
    _check_addresses(host, addresses)
    chosen = addresses[0]
    literal = f"[{chosen}]" if chosen.version == 6 else str(chosen)
    parts = urlsplit(url)
    netloc = literal if port == DEFAULT_PORTS[scheme] else f"{literal}:{port}"
    host_header = host if port == DEFAULT_PORTS[scheme] else f"{host}:{port}"
    if ":" in host and not host.startswith("["):  # an IPv6 literal in the original URL
        host_header = f"[{host}]" if port == DEFAULT_PORTS[scheme] else f"[{host}]:{port}"
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return Target(url=pinned, host=host_header, server_name=host if scheme == "https" else None)
