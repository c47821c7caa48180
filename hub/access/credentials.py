"""Passwords (argon2) and opaque tokens (random, stored only as sha256).

Hashing a password costs ~64 MiB of memory and tens to hundreds of milliseconds of a core, by design. It runs
in worker threads (argon2 releases the GIL), never on the event loop, so that other requests go on while a
password is checked; and at most `configure_password_hashing(n)` run at once (the app sets it from
PANTAU_PASSWORD_CHECK_CONCURRENCY), so that a flood of logins waits its turn instead of taking every core and
the memory with it. `PASSWORD_CHECKS` counts the checks made: the work a login flood can cause.

The cost is argon2-cffi's default profile (`PRODUCTION_COST`, RFC 9106's low-memory one) in every process
but the test suite's, which sets a cheap one with `use_password_cost` (0.2 CPU-seconds a hash or check at the
production cost, up to a second on a loaded CI machine, in many tests; tests/test_password_cost.py checks that
a process that does not call it hashes at the production cost). A hash records its own parameters, so either
kind verifies wherever it is checked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets as _secrets
from dataclasses import dataclass
from functools import cache

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from prometheus_client import Counter

from hub.i18n import Text


@dataclass(frozen=True)
class PasswordCost:
    """argon2id parameters: passes, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int

    def hasher(self) -> PasswordHasher:
        return PasswordHasher(
            time_cost=self.time_cost, memory_cost=self.memory_kib, parallelism=self.parallelism
        )


_default = PasswordHasher()
PRODUCTION_COST = PasswordCost(_default.time_cost, _default.memory_cost, _default.parallelism)
_hasher = _default
MIN_PASSWORD_LENGTH = 10
DEFAULT_CONCURRENCY = 2

PASSWORD_CHECKS = Counter("pantau_password_checks_total", "Passwords verified against a hash (argon2)")
PASSWORD_HASHES = Counter("pantau_password_hashes_total", "Passwords hashed for storage (argon2)")

_limiter = anyio.CapacityLimiter(DEFAULT_CONCURRENCY)


def configure_password_hashing(concurrency: int) -> None:
    """How many hashes this process computes at once; the others wait, off the event loop. Also makes the
    unknown-username hash now, at start-up, so that the first such login costs what the others do."""
    _limiter.total_tokens = concurrency
    _dummy_hash(password_cost())


def use_password_cost(cost: PasswordCost) -> None:
    """The cost of the hashes this process computes from now on (the test suite's cheap one, or back to
    `PRODUCTION_COST`). Never called by the app, the workers or the CLI."""
    global _hasher
    _hasher = cost.hasher()


def password_cost() -> PasswordCost:
    return PasswordCost(_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)


@cache
def _dummy_hash(cost: PasswordCost) -> str:
    """Verified against when the username is unknown, so both paths cost the same time. Made on first use
    rather than at import: every process that imports this module (workers, CLI commands) would pay a hash."""
    return cost.hasher().hash("pantau-dummy-password")


def hashing_in_progress() -> int:
    """Hashes being computed right now (at most the configured concurrency)."""
    return int(_limiter.borrowed_tokens)


def hash_password(password: str) -> str:
    """Blocking: for scripts. Services use `new_password_hash`."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Blocking: services use `password_matches`."""
    try:
        checked = password_hash or _dummy_hash(password_cost())
        return _hasher.verify(checked, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def new_password_hash(password: str) -> str:
    PASSWORD_HASHES.inc()
    return await anyio.to_thread.run_sync(hash_password, password, limiter=_limiter)


async def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; None (no such user) is checked against a dummy hash, at the same cost."""
    PASSWORD_CHECKS.inc()
    return await anyio.to_thread.run_sync(verify_password, password_hash, password, limiter=_limiter)


def password_problem(password: str, username: str) -> Text | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return Text("access.password_too_short", min_length=MIN_PASSWORD_LENGTH)
    if username.lower() in password.lower():
        return Text("access.password_contains_username")
    return None


def new_token() -> str:
    return _secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same_hash(left: str, right: str) -> bool:
    return hmac.compare_digest(left, right)
