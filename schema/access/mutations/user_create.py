from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.users import create_user
from schema.access.mutations.common import access_errors
from schema.access.types import AccessError, Role, User
from schema.context import Info
from schema.describe import ERRORS
from schema.regions.code import RegionCode


@strawberry.input(description="A new staff account.")
class UserCreateInput:
    username: str = strawberry.field(
        description="Unique; 3 to 40 lowercase letters, digits, `.`, `-` and `_`, such as `operator-31.74`."
    )
    password: str = strawberry.field(description="At least 10 characters, not containing the username.")
    role: Role = strawberry.field(description="What the account may do.")
    region: RegionCode = strawberry.field(description="The home region: what the account works on.")
    agency: str | None = strawberry.field(default=None, description="The office it belongs to.")
    full_name: str | None = strawberry.field(default=None, description="The person's name, for display.")


@strawberry.type(description="What `userCreate` answers.")
class UserCreatePayload:
    user: User | None = strawberry.field(description="The account created; null when refused.")
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def user_create(
    info: Info,
    input: Annotated[UserCreateInput, strawberry.argument(description="The account to create.")],
) -> UserCreatePayload:
    """Create a staff account (admins only)."""
    try:
        user = await create_user(
            username=input.username,
            password=input.password,
            role=input.role,
            region_code=input.region,
            agency=input.agency,
            full_name=input.full_name,
            actor=info.context.principal.actor,
        )
    except DomainAccessError as error:
        return UserCreatePayload(user=None, errors=access_errors(error))
    return UserCreatePayload(user=User.from_model(user), errors=[])
