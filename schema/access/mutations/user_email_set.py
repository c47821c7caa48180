from __future__ import annotations

import strawberry
from strawberry import relay

from hub.access.contact import set_email
from hub.access.errors import AccessError as DomainAccessError
from schema.access.mutations.common import access_errors, user_id
from schema.access.types import AccessError, User
from schema.context import Info


@strawberry.input
class UserEmailSetInput:
    email: str | None = strawberry.field(description="The address; null or empty clears it.")


@strawberry.type
class UserEmailSetPayload:
    user: User | None
    errors: list[AccessError]


async def user_email_set(info: Info, id: relay.GlobalID, input: UserEmailSetInput) -> UserEmailSetPayload:
    """Set or clear where an account's reminders are also e-mailed: admins for anyone, users for their own."""
    principal = info.context.principal
    try:
        user, _ = await set_email(principal, user_id(id), input.email)
    except DomainAccessError as error:
        return UserEmailSetPayload(user=None, errors=access_errors(error))
    return UserEmailSetPayload(user=User.from_model(user), errors=[])
