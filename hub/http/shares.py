"""`GET /share/{token}`: a document's share link, opened without signing in (hub.documents.shares).

The file is streamed from object storage through the hub rather than redirected to a presigned URL, so that
a revoked link stops at once and every access is logged here. Each client address may make
`PANTAU_SHARE_LINK_REQUESTS_PER_HOUR` requests an hour, counted before the token is looked at, so guessing
tokens costs the guesser its budget. Every token that opens nothing answers the same 404.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.concurrency import iterate_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from hub.access.addresses import address_bucket
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.links import content_disposition
from hub.documents.shares import open_share
from hub.http.client_address import client_address
from hub.http.refusals import RequestRefused
from hub.i18n import negotiate
from hub.ratelimit import take

log = logging.getLogger(__name__)
WINDOW_SECONDS = 3600
RATE_LIMIT_TIMEOUT_SECONDS = 1.0
NOT_FOUND = RequestRefused(404, "NOT_FOUND", "this link does not open anything (unknown, expired or revoked)")


async def _admit(clients: Clients, limit: int, address: str) -> None:
    """Spends one of the address's requests of the hour; an unreachable Redis lets the request through."""
    if limit <= 0:
        return
    try:
        async with asyncio.timeout(RATE_LIMIT_TIMEOUT_SECONDS):
            decision = await take(
                clients.redis,
                clients.settings.es_index_prefix,
                f"share:{address_bucket(address)}",  # an IPv6 client by its /64
                limit=limit,
                window_seconds=WINDOW_SECONDS,
            )
    except Exception as error:
        log.warning("share link rate limit not checked: Redis failed: %r", error)
        return
    if not decision.allowed:
        retry_after = decision.retry_after_seconds
        raise RequestRefused(
            429,
            "RATE_LIMITED",
            f"too many share link requests from this address; retry in {retry_after} seconds",
            extensions={"retryAfter": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


async def open_shared(request: Request) -> Response:
    clients: Clients = request.app.state.clients
    address = client_address(request, clients.settings.trusted_proxy_networks)
    try:
        await _admit(clients, request.app.state.share_requests_per_hour, address)
        document = await open_share(request.path_params["token"], address=address, now=utcnow())
        if document is None:
            raise NOT_FOUND
    except RequestRefused as refusal:
        return refusal.response(negotiate(request.headers.get("accept-language")))
    chunks = clients.store.chunks_sync(document.object_key)
    return StreamingResponse(
        iterate_in_threadpool(chunks),
        media_type=document.content_type,
        headers={
            "Content-Disposition": content_disposition(document.file_name),
            "Content-Length": str(document.size),
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        },
    )
