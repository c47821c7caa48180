from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.sessions import logout
from schema.access.mutations.common import access_errors
from schema.access.types import AccessError
from schema.context import Info
from schema.describe import ERRORS


@strawberry.input(description="The session to end, by its refresh token.")
class SessionRevokeInput:
    refresh_token: str = strawberry.field(description="The session's latest refresh token.")


@strawberry.type(description="What `sessionRevoke` answers.")
class SessionRevokePayload:
    revoked: bool = strawberry.field(description="Whether the session ended.")
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def session_revoke(
    info: Info,
    input: Annotated[SessionRevokeInput, strawberry.argument(description="The session's refresh token.")],
) -> SessionRevokePayload:
    """Log out: the session's refresh and access tokens stop working at once."""
    try:
        await logout(input.refresh_token, actor=info.context.principal.actor)
    except DomainAccessError as error:
        return SessionRevokePayload(revoked=False, errors=access_errors(error))
    return SessionRevokePayload(revoked=True, errors=[])
