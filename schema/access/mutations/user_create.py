from __future__ import annotations

import strawberry
from strawberry import relay

from hub.access.errors import AccessError as DomainAccessError
from hub.access.users import create_user
from schema.access.mutations.common import access_errors
from schema.access.types import AccessError, Role, User
from schema.context import Info


@strawberry.input
class UserCreateInput:
    username: str
    password: str
    role: Role
    region: relay.GlobalID = strawberry.field(description="The home region (a Region id).")
    agency: str | None = None
    full_name: str | None = None


@strawberry.type
class UserCreatePayload:
    user: User | None
    errors: list[AccessError]


async def user_create(info: Info, input: UserCreateInput) -> UserCreatePayload:
    """Create a staff account (admins only)."""
    try:
        user = await create_user(
            username=input.username,
            password=input.password,
            role=input.role,
            region_code=input.region.node_id if input.region.type_name == "Region" else "",
            agency=input.agency,
            full_name=input.full_name,
            actor=info.context.principal.actor,
        )
    except DomainAccessError as error:
        return UserCreatePayload(user=None, errors=access_errors(error))
    return UserCreatePayload(user=User.from_model(user), errors=[])
