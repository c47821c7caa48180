from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.sessions import refresh
from schema.access.mutations.common import access_errors
from schema.access.mutations.session import SessionPayload
from schema.context import Info


@strawberry.input(description="The refresh token to trade.")
class SessionRefreshInput:
    refresh_token: str = strawberry.field(description="The session's latest refresh token.")


async def session_refresh(
    info: Info,
    input: Annotated[SessionRefreshInput, strawberry.argument(description="The refresh token.")],
) -> SessionPayload:
    """Trade a refresh token for a new pair. Each refresh token works once: a reused one ends the session."""
    try:
        tokens = await refresh(info.context.clients.settings, input.refresh_token)
    except DomainAccessError as error:
        return SessionPayload(errors=access_errors(error))
    return SessionPayload.issued(tokens)
