from __future__ import annotations

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.sessions import login
from hub.audit.service import record
from schema.access.mutations.common import access_errors
from schema.access.mutations.session import SessionPayload
from schema.context import Info


@strawberry.input
class SessionCreateInput:
    username: str
    password: str


async def session_create(info: Info, input: SessionCreateInput) -> SessionPayload:
    """Log in: a short-lived access token and a rotating refresh token."""
    try:
        tokens = await login(info.context.clients.settings, input.username, input.password)
    except DomainAccessError as error:
        return SessionPayload(errors=access_errors(error))
    await record(f"user:{tokens.user.username}", "session.create", f"Session:{tokens.session_id}", {})
    return SessionPayload.issued(tokens)
