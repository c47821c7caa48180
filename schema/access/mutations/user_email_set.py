from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access.contact import set_email
from hub.access.errors import AccessError as DomainAccessError
from schema.access.mutations.common import UserId, access_errors, user_id
from schema.access.types import AccessError, User
from schema.context import Info
from schema.describe import ERRORS


@strawberry.input(description="Where an account's reminders are also e-mailed.")
class UserEmailSetInput:
    email: str | None = strawberry.field(description="The address; null or empty clears it.")


@strawberry.type(description="What `userEmailSet` answers.")
class UserEmailSetPayload:
    user: User | None = strawberry.field(description="The account as it is now.")
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def user_email_set(
    info: Info,
    id: UserId,
    input: Annotated[UserEmailSetInput, strawberry.argument(description="The address.")],
) -> UserEmailSetPayload:
    """Set or clear where an account's reminders are also e-mailed: admins for anyone, users for their own."""
    principal = info.context.principal
    try:
        user, _ = await set_email(principal, user_id(id), input.email)
    except DomainAccessError as error:
        return UserEmailSetPayload(user=None, errors=access_errors(error))
    return UserEmailSetPayload(user=User.from_model(user), errors=[])
