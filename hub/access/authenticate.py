"""Turns a request's Authorization header into its principal, once per request."""

from __future__ import annotations

from dataclasses import dataclass

from hub.access.errors import AccessError, AccessErrorCode
from hub.access.grants import is_partner_token, principal_from_partner_token
from hub.access.principal import ANONYMOUS, Principal
from hub.access.sessions import principal_from_access_token
from hub.settings import Settings


@dataclass(frozen=True)
class Authentication:
    principal: Principal
    error: AccessError | None = None


async def authenticate(settings: Settings, authorization: str | None) -> Authentication:
    """No header: anonymous. A bad or expired token: anonymous, with the reason kept for error messages."""
    if not authorization:
        return Authentication(ANONYMOUS)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Authentication(
            ANONYMOUS,
            AccessError(AccessErrorCode.INVALID_TOKEN, "use the header 'Authorization: Bearer <token>'"),
        )
    token = token.strip()
    try:
        if is_partner_token(token):
            return Authentication(await principal_from_partner_token(token))
        return Authentication(await principal_from_access_token(settings, token))
    except AccessError as error:
        return Authentication(ANONYMOUS, error)
