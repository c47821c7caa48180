from __future__ import annotations

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.sessions import logout
from schema.access.mutations.common import access_errors
from schema.access.types import AccessError
from schema.context import Info


@strawberry.input
class SessionRevokeInput:
    refresh_token: str


@strawberry.type
class SessionRevokePayload:
    revoked: bool
    errors: list[AccessError]


async def session_revoke(info: Info, input: SessionRevokeInput) -> SessionRevokePayload:
    """Log out: the session's refresh and access tokens stop working at once."""
    try:
        await logout(input.refresh_token, actor=info.context.principal.actor)
    except DomainAccessError as error:
        return SessionRevokePayload(revoked=False, errors=access_errors(error))
    return SessionRevokePayload(revoked=True, errors=[])
