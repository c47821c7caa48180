"""A login as the API makes it: throttled (hub.access.throttle), one password check, failures audited.

Each failed password check writes one audit entry: action `session.create_failed`, actor
`address:<client address>`, target `Username:<as typed>`, and the username as typed (at most
MAX_AUDITED_USERNAME characters), the address, the reason (unknown_user, wrong_password, inactive_account)
and the address's and the account's failures so far; never the password. Attempts refused before any
check (throttled, or a second login in one request) are NOT audited one by one, only counted in
`pantau_login_refusals_total{reason}`: each audit entry is a write to the chain's single head, and an entry
per refusal would let a flood write to it at request rate. The audited failures are bounded by the throttle
itself (about 20 an hour per address after the first ones), and the failure that starts a delay is among them.
"""

from __future__ import annotations

import asyncio
import logging

from prometheus_client import Counter
from redis.asyncio import Redis

from hub.access.errors import AccessError, AccessErrorCode
from hub.access.sessions import IssuedTokens, LoginRefusedError, login
from hub.access.throttle import LoginThrottled, Reservation, ThrottlePolicy, reserve, succeeded
from hub.audit.service import record
from hub.i18n import Text
from hub.settings import Settings

log = logging.getLogger(__name__)
REFUSALS = Counter("pantau_login_refusals_total", "Logins refused before any password check", ["reason"])
THROTTLE_TIMEOUT_SECONDS = 2.0
UNAVAILABLE_RETRY_SECONDS = 5
MAX_AUDITED_USERNAME = 100


def refused_without_check(reason: str) -> None:
    """Counts a login refused before any password was hashed."""
    REFUSALS.labels(reason).inc()


async def _reserve(redis: Redis, policy: ThrottlePolicy, username: str, address: str) -> Reservation:
    try:
        async with asyncio.timeout(THROTTLE_TIMEOUT_SECONDS):
            return await reserve(redis, policy, username, address)
    except LoginThrottled as throttled:
        refused_without_check("login_throttled")
        wait = throttled.retry_after_seconds
        raise AccessError(
            AccessErrorCode.LOGIN_THROTTLED,
            Text("access.login_throttled", wait=wait),
            retry_after_seconds=wait,
        ) from None
    except Exception as error:
        # Fail closed, unlike the request rate limit: a client can delay the answer itself (a batch whose
        # other operations keep the event loop busy past the timeout), and failing open would then be a way
        # around the throttle. While Redis does not answer, logins wait; sessions already open go on.
        log.warning("login refused: the throttle is unavailable: %r", error, extra={"address": address})
        refused_without_check("throttle_unavailable")
        raise AccessError(
            AccessErrorCode.LOGIN_THROTTLED,
            Text("access.logins_paused", unavailable_retry_seconds=UNAVAILABLE_RETRY_SECONDS),
            retry_after_seconds=UNAVAILABLE_RETRY_SECONDS,
        ) from None


async def attempt_login(
    settings: Settings, redis: Redis, username: str, password: str, address: str
) -> IssuedTokens:
    """Log in from `address`, or raise AccessError (INVALID_CREDENTIALS, LOGIN_THROTTLED; the latter also
    while Redis does not answer)."""
    reservation = await _reserve(redis, ThrottlePolicy.from_settings(settings), username, address)
    try:
        tokens = await login(settings, username, password, address=address)
    except LoginRefusedError as refused:
        address_failures, account_failures = reservation.failures[:2]
        await record(
            f"address:{address}",
            "session.create_failed",
            f"Username:{username[:MAX_AUDITED_USERNAME]}",
            {
                "username": username[:MAX_AUDITED_USERNAME],
                "address": address,
                "reason": refused.reason.value,
                "address_failures": address_failures,
                "account_failures": account_failures,
            },
        )
        raise
    try:
        async with asyncio.timeout(THROTTLE_TIMEOUT_SECONDS):
            await succeeded(redis, reservation)
    except Exception as error:  # the login stands; the attempt stays counted as a failure
        log.warning("login throttle not settled: Redis failed: %r", error, extra={"address": address})
    return tokens
