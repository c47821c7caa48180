"""Login throttling: delays that grow with failed logins, per client address and per account, kept in Redis.

The threat is online password guessing, by one client or by many addresses at once; the constraint is that an
attacker must never be able to keep a legitimate user out. So there is no lockout state at all, only "retry
after N seconds", and the part of it that anyone can cause for any account is short and never stops the
first try from an address.

Three counters of failed logins, shared by every API process, each forgotten
PANTAU_LOGIN_FAILURE_MEMORY_SECONDS (1 h) after its last failure. After its free failures, a counter makes
each attempt wait 2^(failures - free) seconds after the previous attempt, up to its maximum:

- address: failures from one client address (hub.http.client_address; an IPv6 client counts by its /64,
  which one subscriber holds whole), any account. PANTAU_LOGIN_ADDRESS_FREE_FAILURES (10) free, up to
  PANTAU_LOGIN_ADDRESS_MAX_DELAY_SECONDS (900 s). Stops one client guessing, or spraying many accounts.
- pair: failures on one account from one address: the account's free failures, the address's maximum.
- account: failures on one username as typed (normalised; unknown names count too, so that the answers do
  not tell which exist), from any address. PANTAU_LOGIN_ACCOUNT_FREE_FAILURES (5) free, up to
  PANTAU_LOGIN_ACCOUNT_MAX_DELAY_SECONDS (60 s: mild, because anyone can cause it). It applies only to an
  address that has itself failed on this account (pair count above 0): the first try from a new address is
  never held back by what others did on this account, so no attacker can keep an owner from trying.

And:
- A known address of an account is one it logged in from successfully within KNOWN_ADDRESS_DAYS. From there
  only the pair counter applies: guesses from elsewhere, even from other clients behind the same office NAT
  against other accounts, never slow the owner down at their usual place.
- An attempt made before its delay has passed is refused with the seconds left, before any password is
  hashed, and is not counted as a failure: retrying too early never makes the wait longer.
- Check and count are one atomic step (a Lua script): an attempt counts as a failure when it starts and is
  given back when it succeeds, so parallel requests cannot all slip in before the first failure is counted.
- A successful login forgets the account's and the pair's failures (only someone with the password can do
  that), but not the address's: an attacker cannot clear its address by logging into an account of its own.

What a guesser gets: from one address, 10 free guesses (5 against any one account), about 10 more over
the next 17 minutes while the delay doubles, then 4 an hour. From N addresses against one account: a first
guess from each address, and one more a minute at most. Together with at most one password check per HTTP
request (schema.access) and hashing off the event loop with bounded concurrency (hub.access.credentials), a
flood costs the hub little: a refused attempt is a Redis round trip, no hashing.

Redis not answering (down, or the answer later than the caller waits): the login is refused, see
hub.access.login_attempts.

Residual risk: clients behind one IPv4 address (a carrier-grade NAT) share the address counter; one of them
guessing can make the others wait (at most the address maximum) on their first login from there. Clients
with IPv6 do not share, and an address where the account logged in before is exempt.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from hub.access.addresses import address_bucket
from hub.settings import Settings

KNOWN_ADDRESS_DAYS = 30

# KEYS: address, account, pair, known. ARGV: now, memory seconds, then free failures and maximum delay of the
# address, the account and the pair counters. Returns {1, failures per counter...} when the attempt may go on
# (and counts it), or {0, seconds to wait} (a string: Redis would truncate a Lua number to an integer).
_RESERVE = """
local now = tonumber(ARGV[1])
local function wait(key, free, cap)
  local state = redis.call('HMGET', key, 'n', 't')
  local failures = tonumber(state[1]) or 0
  if failures < free then return 0 end
  local delay = math.min(cap, 2 ^ (failures - free))
  return math.max(0, (tonumber(state[2]) or 0) + delay - now)
end
local waiting = wait(KEYS[3], tonumber(ARGV[7]), tonumber(ARGV[8]))
if redis.call('EXISTS', KEYS[4]) == 0 then
  waiting = math.max(waiting, wait(KEYS[1], tonumber(ARGV[3]), tonumber(ARGV[4])))
  if (tonumber(redis.call('HGET', KEYS[3], 'n')) or 0) > 0 then
    waiting = math.max(waiting, wait(KEYS[2], tonumber(ARGV[5]), tonumber(ARGV[6])))
  end
end
if waiting > 0 then return {0, tostring(waiting)} end
local counts = {1}
for index = 1, 3 do
  counts[index + 1] = redis.call('HINCRBY', KEYS[index], 'n', 1)
  redis.call('HSET', KEYS[index], 't', ARGV[1])
  redis.call('EXPIRE', KEYS[index], ARGV[2])
end
return counts
"""

# KEYS: address, account, pair, known. ARGV: seconds an address stays known.
_SUCCEEDED = """
if (tonumber(redis.call('HGET', KEYS[1], 'n')) or 0) > 0 then
  redis.call('HINCRBY', KEYS[1], 'n', -1)
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SET', KEYS[4], '1', 'EX', ARGV[1])
return 1
"""


@dataclass(frozen=True)
class ThrottlePolicy:
    namespace: str
    """Prefixes the keys in the shared Redis (the index prefix names the deployment, or a test session)."""
    memory_seconds: int
    address_free: int
    address_max_delay: int
    account_free: int
    account_max_delay: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ThrottlePolicy:
        return cls(
            namespace=settings.es_index_prefix,
            memory_seconds=settings.login_failure_memory_seconds,
            address_free=settings.login_address_free_failures,
            address_max_delay=settings.login_address_max_delay_seconds,
            account_free=settings.login_account_free_failures,
            account_max_delay=settings.login_account_max_delay_seconds,
        )


@dataclass(frozen=True)
class Reservation:
    """An attempt that may go on: already counted as a failure until `succeeded` gives it back."""

    keys: tuple[str, str, str, str]
    failures: tuple[int, int, int]
    """The address's, the account's and the pair's failures, this attempt included."""


class LoginThrottled(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"retry in {retry_after_seconds} seconds")
        self.retry_after_seconds = retry_after_seconds


def account_key(username: str) -> str:
    """The normalised username, hashed: any string a client sends makes a short key."""
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def _keys(policy: ThrottlePolicy, username: str, address: str) -> tuple[str, str, str, str]:
    base, where, who = f"{policy.namespace}:login", address_bucket(address), account_key(username)
    return (
        f"{base}:address:{where}",
        f"{base}:account:{who}",
        f"{base}:pair:{who}:{where}",
        f"{base}:known:{who}:{where}",
    )


async def reserve(
    redis: Redis, policy: ThrottlePolicy, username: str, address: str, *, now: float | None = None
) -> Reservation:
    """Counts an attempt, or raises LoginThrottled (counting nothing) while a delay runs. `now`: Unix time,
    for tests (the default is the clock)."""
    keys = _keys(policy, username, address)
    arguments = (
        repr(time.time() if now is None else now),
        policy.memory_seconds,
        policy.address_free,
        policy.address_max_delay,
        policy.account_free,
        policy.account_max_delay,
        policy.account_free,
        policy.address_max_delay,
    )
    result = await redis.eval(_RESERVE, len(keys), *keys, *arguments)
    if int(result[0]) == 0:
        raise LoginThrottled(max(1, math.ceil(float(result[1]))))
    return Reservation(keys, (int(result[1]), int(result[2]), int(result[3])))


async def succeeded(redis: Redis, reservation: Reservation) -> None:
    """The attempt was right: give its count back, forget the account's failures, remember the address."""
    known_seconds = KNOWN_ADDRESS_DAYS * 86400
    await redis.eval(_SUCCEEDED, len(reservation.keys), *reservation.keys, known_seconds)
