"""Login, rotating refresh tokens with reuse detection, logout, and access tokens (JWT, short-lived).

A refresh token is `<session id>.<secret>`; only the secret's hash is stored. Presenting a refresh token that
was already rotated away means it was copied: the whole session is revoked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import jwt
from beanie import PydanticObjectId
from bson.errors import InvalidId

from hub.access import credential_cache
from hub.access.credentials import new_token, password_matches, same_hash, token_hash
from hub.access.errors import AccessError, AccessErrorCode
from hub.access.models import Session, User
from hub.access.principal import Principal, PrincipalKind, user_scope
from hub.audit.linker import complete, complete_insert
from hub.audit.pending import SYSTEM_ACTOR, attach_pending, pending_entry, push_pending
from hub.core.clock import utcnow
from hub.i18n import Text
from hub.settings import Settings

ALGORITHM = "HS256"


@dataclass(frozen=True)
class IssuedTokens:
    user: User
    session_id: str
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime


def _access_token(settings: Settings, user: User, session_id: str, now: datetime) -> tuple[str, datetime]:
    expires = now + timedelta(seconds=settings.access_token_ttl_seconds)
    claims = {"sub": str(user.id), "sid": session_id, "typ": "access", "iat": now, "exp": expires}
    return jwt.encode(claims, settings.token_secret, algorithm=ALGORITHM), expires


def _issue(settings: Settings, user: User, session: Session, secret: str, now: datetime) -> IssuedTokens:
    access, access_expires = _access_token(settings, user, str(session.id), now)
    return IssuedTokens(
        user=user,
        session_id=str(session.id),
        access_token=access,
        access_expires_at=access_expires,
        refresh_token=f"{session.id}.{secret}",
        refresh_expires_at=session.expires_at,
    )


class LoginFailure(StrEnum):
    """Why a login failed: for the audit only; the client is told the same for all."""

    UNKNOWN_USER = "unknown_user"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a reason, not a password
    INACTIVE_ACCOUNT = "inactive_account"


class LoginRefusedError(AccessError):
    def __init__(self, reason: LoginFailure) -> None:
        super().__init__(AccessErrorCode.INVALID_CREDENTIALS, "the username or password is wrong")
        self.reason = reason


async def login(
    settings: Settings, username: str, password: str, *, address: str | None = None
) -> IssuedTokens:
    """One password check (off the event loop), then a new session, recorded with the client's `address`
    (when known); LoginRefusedError otherwise."""
    user = await User.find_one({"username": username.strip().lower()})
    valid = await password_matches(user.password_hash if user else None, password)
    if user is None:
        raise LoginRefusedError(LoginFailure.UNKNOWN_USER)
    if not valid:
        raise LoginRefusedError(LoginFailure.WRONG_PASSWORD)
    if not user.active:
        raise LoginRefusedError(LoginFailure.INACTIVE_ACCOUNT)
    now = utcnow()
    secret = new_token()
    session = Session(
        user_id=user.id,
        current_token_hash=token_hash(secret),
        expires_at=now + timedelta(seconds=settings.refresh_token_ttl_seconds),
        created_at=now,
    )
    change = {"address": address} if address is not None else {}
    audit = attach_pending(session, f"user:{user.username}", "session.create", "Session", change)
    await session.insert()
    await complete_insert(session, audit)
    return _issue(settings, user, session, secret, now)


def _split_refresh_token(refresh_token: str) -> tuple[PydanticObjectId, str]:
    session_id, _, secret = refresh_token.partition(".")
    try:
        return PydanticObjectId(session_id), secret
    except (InvalidId, TypeError, ValueError):
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.refresh_token_invalid")) from None


async def revoke_session(session_id: PydanticObjectId, reason: str) -> None:
    await Session.get_pymongo_collection().update_one(
        {"_id": session_id, "revoked_at": None}, {"$set": {"revoked_at": utcnow(), "revoked_reason": reason}}
    )
    await credential_cache.forget_credentials()


async def refresh(settings: Settings, refresh_token: str) -> IssuedTokens:
    session_id, secret = _split_refresh_token(refresh_token)
    session = await Session.get(session_id)
    presented = token_hash(secret)
    if session is None:
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.refresh_token_invalid"))
    if session.revoked_at is not None:
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.session_ended"))
    now = utcnow()
    if session.expires_at <= now:
        raise AccessError(AccessErrorCode.TOKEN_EXPIRED, Text("access.refresh_token_expired"))
    if not same_hash(session.current_token_hash, presented):
        if presented in session.previous_token_hashes:
            await revoke_session(session_id, "refresh token reused")
            raise AccessError(AccessErrorCode.TOKEN_REUSED, Text("access.token_reused"))
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.refresh_token_invalid"))
    new_secret = new_token()
    user = await User.get(session.user_id)
    audit = pending_entry(
        f"user:{user.username if user else session.user_id}", "session.refresh", f"Session:{session_id}", {}
    )
    rotated = await Session.get_pymongo_collection().update_one(
        {"_id": session_id, "current_token_hash": presented, "revoked_at": None},
        {
            "$set": {"current_token_hash": token_hash(new_secret)},
            "$push": {"previous_token_hashes": presented, **push_pending(audit)},
        },
    )
    if rotated.modified_count != 1:
        # Another refresh with the same token won the race: that is reuse too.
        await revoke_session(session_id, "refresh token reused concurrently")
        raise AccessError(AccessErrorCode.TOKEN_REUSED, Text("access.token_reused"))
    await complete(Session, session_id, audit)
    if user is None or not user.active:
        await revoke_session(session_id, "user deactivated")
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.account_inactive"))
    return _issue(settings, user, session, new_secret, now)


async def logout(refresh_token: str, *, actor: str = SYSTEM_ACTOR) -> str:
    session_id, secret = _split_refresh_token(refresh_token)
    session = await Session.get(session_id)
    if session is None or not same_hash(session.current_token_hash, token_hash(secret)):
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.refresh_token_invalid"))
    audit = pending_entry(actor, "session.revoke", f"Session:{session_id}", {})
    ended = await Session.get_pymongo_collection().update_one(
        {"_id": session_id, "revoked_at": None},
        {"$set": {"revoked_at": utcnow(), "revoked_reason": "logout"}, "$push": push_pending(audit)},
    )
    if ended.modified_count:
        await complete(Session, session_id, audit)
        await credential_cache.forget_credentials()
    return str(session_id)


async def principal_from_access_token(settings: Settings, token: str) -> Principal:
    try:
        claims = jwt.decode(
            token, settings.token_secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "sid"]}
        )
    except jwt.ExpiredSignatureError:
        raise AccessError(AccessErrorCode.TOKEN_EXPIRED, Text("access.access_token_expired")) from None
    except jwt.PyJWTError:
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.access_token_invalid")) from None
    if claims.get("typ") != "access":
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.access_token_invalid"))
    try:
        user_id, session_id = PydanticObjectId(claims["sub"]), PydanticObjectId(claims["sid"])
    except (InvalidId, TypeError, ValueError):
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.access_token_invalid")) from None
    max_age = credential_cache.max_age_seconds()
    key = (User.get_pymongo_collection().database.name, str(user_id), str(session_id))
    remembered = credential_cache.principals.get(key, max_age)
    if remembered is not None:
        return remembered
    generation = credential_cache.principals.generation
    user, session = await asyncio.gather(User.get(user_id), Session.get(session_id))
    if session is None or session.revoked_at is not None or session.user_id != user_id:
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.session_ended"))
    if user is None or not user.active:
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.account_inactive"))
    principal = principal_for_user(user)
    if max_age > 0:
        credential_cache.principals.put(key, principal, generation)
    return principal


def principal_for_user(user: User) -> Principal:
    path = tuple(user.region_path)
    return Principal(
        kind=PrincipalKind.USER,
        id=str(user.id),
        name=user.username,
        scope=user_scope(user.role, path),
        role=user.role,
        region_code=user.region_code,
        region_path=path,
        agency=user.agency,
    )
