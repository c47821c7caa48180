from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.users import change_role
from schema.access.mutations.common import UserId, access_errors, user_id
from schema.access.types import AccessError, Role, User
from schema.context import Info
from schema.describe import ERRORS
from schema.regions.code import RegionCode


@strawberry.input(description="An account's new role, and home region if it moves.")
class UserRoleChangeInput:
    role: Role = strawberry.field(description="The new role.")
    region: RegionCode | None = strawberry.field(default=None, description="A new home region, if it moves.")


@strawberry.type(description="What `userRoleChange` answers.")
class UserRoleChangePayload:
    user: User | None = strawberry.field(description="The account as it is now.")
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def user_role_change(
    info: Info,
    id: UserId,
    input: Annotated[UserRoleChangeInput, strawberry.argument(description="The new role and region.")],
) -> UserRoleChangePayload:
    """Give an account another role and, optionally, another home region (admins only)."""
    try:
        user = await change_role(user_id(id), input.role, input.region, actor=info.context.principal.actor)
    except DomainAccessError as error:
        return UserRoleChangePayload(user=None, errors=access_errors(error))
    return UserRoleChangePayload(user=User.from_model(user), errors=[])
