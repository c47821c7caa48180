from __future__ import annotations

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.users import deactivate_user
from schema.access.mutations.common import UserId, access_errors, user_id
from schema.access.types import AccessError, User
from schema.context import Info
from schema.describe import ERRORS


@strawberry.type(description="What `userDeactivate` answers.")
class UserDeactivatePayload:
    user: User | None = strawberry.field(description="The account, now inactive.")
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def user_deactivate(info: Info, id: UserId) -> UserDeactivatePayload:
    """Deactivate an account (admins only): its sessions end at once."""
    try:
        user = await deactivate_user(user_id(id), actor=info.context.principal.actor)
    except DomainAccessError as error:
        return UserDeactivatePayload(user=None, errors=access_errors(error))
    return UserDeactivatePayload(user=User.from_model(user), errors=[])
