from __future__ import annotations

import strawberry
from strawberry import relay

from hub.access.errors import AccessError as DomainAccessError
from hub.access.errors import AccessErrorCode
from hub.access.users import change_role
from schema.access.mutations.common import ACCESS_ERRORS, access_errors, user_id
from schema.access.types import AccessError, Role, User
from schema.context import Info


@strawberry.input
class UserRoleChangeInput:
    role: Role
    region: relay.GlobalID | None = strawberry.field(
        default=None, description="A new home region, if it moves."
    )


@strawberry.type
class UserRoleChangePayload:
    user: User | None
    errors: list[AccessError]


async def user_role_change(
    info: Info, id: relay.GlobalID, input: UserRoleChangeInput
) -> UserRoleChangePayload:
    """Give an account another role and, optionally, another home region (admins only)."""
    try:
        region = (
            ACCESS_ERRORS.raw_id(input.region, "Region", AccessErrorCode.REGION_NOT_FOUND, "region")
            if input.region is not None
            else None
        )
        user = await change_role(user_id(id), input.role, region, actor=info.context.principal.actor)
    except DomainAccessError as error:
        return UserRoleChangePayload(user=None, errors=access_errors(error))
    return UserRoleChangePayload(user=User.from_model(user), errors=[])
