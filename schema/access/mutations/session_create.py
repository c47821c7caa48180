"""`sessionCreate`: log in. At most one password check per HTTP request, whatever it batches or aliases:
hashing is the most expensive thing an anonymous client can ask for, so a request that asks for more gets
ONE_LOGIN_PER_REQUEST for the others, without any hashing (hub.access.login_attempts counts them)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.errors import AccessErrorCode
from hub.access.login_attempts import attempt_login, refused_without_check
from hub.i18n import Text
from schema.access.mutations.common import access_errors
from schema.access.mutations.session import SessionPayload
from schema.access.types import AccessError
from schema.context import Info


@strawberry.input(description="A staff account's credentials.")
class SessionCreateInput:
    username: str = strawberry.field(description="The account's username.")
    password: str = strawberry.field(description="Its password.")


def _errors(error: DomainAccessError) -> list[AccessError]:
    """The typed errors, with when to try again (LOGIN_THROTTLED)."""
    typed = access_errors(error)
    for item in typed:
        item.retry_after_seconds = error.retry_after_seconds
    return typed


async def session_create(
    info: Info,
    input: Annotated[SessionCreateInput, strawberry.argument(description="The credentials.")],
) -> SessionPayload:
    """Log in: a short-lived access token and a rotating refresh token."""
    context = info.context
    if not context.claim_login():
        refused_without_check("one_login_per_request")
        error = DomainAccessError(AccessErrorCode.ONE_LOGIN_PER_REQUEST, Text("access.one_login_per_request"))
        return SessionPayload(errors=access_errors(error))
    try:
        tokens = await attempt_login(
            context.clients.settings,
            context.clients.redis,
            input.username,
            input.password,
            context.client_address,
        )
    except DomainAccessError as error:
        return SessionPayload(errors=_errors(error))
    return SessionPayload.issued(tokens)
