"""What a request must pass before any of its body is read: who sends it, and whether its budget is spent.

- A multipart request carries uploads, and uploads need a signed-in caller: an anonymous one (no token, or a
  bad one) is refused with 401 before a byte of the body is read. Who may upload where is the mutations' own
  check, answered in their payloads.
- The per-principal budget (hub.ratelimit, the same buckets as the GraphQL operations) is checked before the
  body: a caller who has spent it gets 429. GraphQL operations are counted as they run, so a GraphQL request
  only looks at the budget here (`spend=False`); an export is one unit, taken here (`spend=True`).
  Looking costs a Redis round trip only for a multipart request, whose body may be an upload of a GiB:
  other GraphQL requests are refused here when this process already saw their bucket spent in this window
  (hub.ratelimit.SpentBuckets), else by their operations' charge, the one round trip a request makes. Their
  bodies are capped small (hub.http.limits).

An unreachable Redis lets the request through (logged), as the operation-level limit does: the limit guards
against abuse, and /readyz already reports Redis as down.
"""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis
from starlette.requests import HTTPConnection

from hub.access.errors import AccessError
from hub.access.principal import Principal
from hub.http.client_address import client_address
from hub.http.refusals import RequestRefused
from hub.i18n import Text
from hub.ratelimit import RatePolicy, peek, take

log = logging.getLogger(__name__)
RATE_LIMIT_TIMEOUT_SECONDS = 1.0


def is_multipart(connection: HTTPConnection) -> bool:
    return connection.headers.get("content-type", "").lower().startswith("multipart/")


def rate_bucket(principal: Principal, connection: HTTPConnection) -> str:
    """The principal's bucket; anonymous callers share one per client address (hub.http.client_address; an
    IPv6 client's /64), the same as the operations' limit in schema.security."""
    if principal.rate_limit_key is not None:
        return principal.rate_limit_key
    trusted = connection.app.state.clients.settings.trusted_proxy_networks
    return principal.rate_bucket(client_address(connection, trusted))


def admit_upload(principal: Principal, auth_error: AccessError | None) -> None:
    """Refuses a multipart request from an anonymous caller."""
    if not principal.is_authenticated:
        if auth_error is not None:  # a token that did not pass: its own code (TOKEN_EXPIRED, INVALID_TOKEN)
            raise RequestRefused(401, auth_error.code.value, auth_error.raised_message)
        raise RequestRefused(401, "UNAUTHENTICATED", Text("request.uploads_need_user"))


async def admit_budget(
    connection: HTTPConnection, principal: Principal, policy: RatePolicy, redis: Redis, *, spend: bool
) -> None:
    """Refuses with RATE_LIMITED (429, Retry-After) a caller whose budget of the window is spent; with
    `spend`, this request is counted too."""
    if policy.budget <= 0:
        return
    bucket = rate_bucket(principal, connection)
    namespace, limit, window = policy.namespace, policy.budget, policy.window_seconds
    decision = policy.spent.refusal(namespace, bucket, limit=limit, window_seconds=window)
    if decision is None and (spend or is_multipart(connection)):
        check = take if spend else peek
        try:
            async with asyncio.timeout(RATE_LIMIT_TIMEOUT_SECONDS):
                decision = await check(redis, namespace, bucket, limit=limit, window_seconds=window)
        except Exception as error:
            log.warning("rate limit not checked: Redis failed: %r", error, extra={"bucket": bucket})
            return
        policy.spent.note(namespace, bucket, decision)
    if decision is None or decision.allowed:
        return
    retry_after = decision.retry_after_seconds
    # The same answer as a GraphQL operation refused by the budget (schema.security.rate_limited): a request
    # costs at least 1 point, which is more than what is left.
    raise RequestRefused(
        429,
        "RATE_LIMITED",
        Text(
            "request.rate_limited_request",
            remaining=decision.remaining,
            limit=decision.limit,
            window=policy.window_seconds,
            retry_after=retry_after,
        ),
        extensions={"cost": 1, "limit": decision.limit, "retryAfter": retry_after},
        headers={"Retry-After": str(retry_after)},
        operation_refused=not spend,
    )
