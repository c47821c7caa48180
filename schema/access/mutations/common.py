"""What the account and grant mutations share: their typed errors and the ids they take."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.access.errors import AccessError as DomainAccessError
from hub.access.errors import AccessErrorCode as AccessErrorCodeModel
from schema.access.types import AccessError
from schema.mutations import MutationErrors

ACCESS_ERRORS = MutationErrors(DomainAccessError, AccessError)
UserId = Annotated[relay.GlobalID, strawberry.argument(description="The account's id.")]
GrantId = Annotated[relay.GlobalID, strawberry.argument(description="The partner grant's id.")]
access_errors = ACCESS_ERRORS.typed


def user_id(value: relay.GlobalID) -> str:
    return ACCESS_ERRORS.raw_id(value, "User", AccessErrorCodeModel.USER_NOT_FOUND)
