"""Turns a bearer token into its principal, once per request or connection: the one place that reads
`Authorization: Bearer <token>`, for HTTP requests (GraphQL, exports) and WebSocket `connection_init` alike.

A WebSocket's `connection_init` carries `{"Authorization": "Bearer <token>"}` (any case) or
`{"token": "<token>"}`: browsers cannot set headers on the upgrade request, so those are not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt

from hub.access.errors import AccessError, AccessErrorCode
from hub.access.grants import is_partner_token, principal_from_partner_token
from hub.access.principal import ANONYMOUS, Principal
from hub.access.sessions import principal_from_access_token
from hub.i18n import Text
from hub.settings import Settings

BEARER_HINT = Text("access.bearer_hint")


@dataclass(frozen=True)
class Authentication:
    principal: Principal
    error: AccessError | None = None
    # When the token (or the partner grant) stops being valid: a long-lived connection checks again then.
    expires_at: datetime | None = None


def bearer_token(authorization: str | None) -> str | None:
    """The token of `Bearer <token>` (the scheme in any case); None for anything else."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def connection_token(params: Mapping[str, object] | None) -> str | None:
    """The token in a WebSocket `connection_init` payload: `token`, or an `Authorization` bearer header."""
    if not params:
        return None
    token = params.get("token")
    if isinstance(token, str) and token.strip():
        return token.strip()
    for key, value in params.items():
        if key.lower() == "authorization" and isinstance(value, str):
            return bearer_token(value)
    return None


def _access_token_expiry(token: str) -> datetime | None:
    # Verified by principal_from_access_token just before; only its expiry is read here.
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    expiry = claims.get("exp")
    return datetime.fromtimestamp(expiry, UTC) if isinstance(expiry, int | float) else None


async def authenticate_token(settings: Settings, token: str) -> Authentication:
    """An access token or a partner token. A bad or expired one: anonymous, with the reason kept."""
    try:
        if is_partner_token(token):
            principal = await principal_from_partner_token(token)
            return Authentication(principal, expires_at=principal.scope.expires_at)
        principal = await principal_from_access_token(settings, token)
        return Authentication(principal, expires_at=_access_token_expiry(token))
    except AccessError as error:
        return Authentication(ANONYMOUS, error)


async def authenticate(settings: Settings, authorization: str | None) -> Authentication:
    """An `Authorization` header. None: anonymous. Not a bearer token: anonymous, with the reason kept."""
    if not authorization:
        return Authentication(ANONYMOUS)
    token = bearer_token(authorization)
    if token is None:
        return Authentication(ANONYMOUS, AccessError(AccessErrorCode.INVALID_TOKEN, BEARER_HINT))
    return await authenticate_token(settings, token)
