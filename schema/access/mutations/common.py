"""What the account and grant mutations share: their typed errors and the ids they take."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.access.errors import AccessError as DomainAccessError
from hub.access.errors import AccessErrorCode as AccessErrorCodeModel
from hub.i18n import Text
from schema.access.types import AccessError
from schema.context import Info
from schema.mutations import MutationErrors

ACCESS_ERRORS = MutationErrors(DomainAccessError, AccessError)
UserId = Annotated[relay.GlobalID, strawberry.argument(description="The account's id.")]
GrantId = Annotated[relay.GlobalID, strawberry.argument(description="The partner grant's id.")]
access_errors = ACCESS_ERRORS.typed


def check_known_fields(info: Info, fields: list[str]) -> None:
    """Refuses (INVALID_GRANT) names that are not `Type.field` of this schema (GraphQL spelling, as partners
    write their queries)."""
    converter = info.schema.config.name_converter
    unknown = []
    for name in fields:
        type_name, _, field_name = name.partition(".")
        definition = info.schema.get_type_by_name(type_name)
        known = getattr(definition, "fields", None) or []
        if not any(converter.get_graphql_name(field) == field_name for field in known):
            unknown.append(name)
    if unknown:
        raise DomainAccessError(
            AccessErrorCodeModel.INVALID_GRANT,
            Text("access.unknown_fields", fields=", ".join(unknown)),
            "fields",
        )


def grant_id(value: relay.GlobalID) -> str:
    return ACCESS_ERRORS.raw_id(value, "PartnerGrant", AccessErrorCodeModel.GRANT_NOT_FOUND)


def user_id(value: relay.GlobalID) -> str:
    return ACCESS_ERRORS.raw_id(value, "User", AccessErrorCodeModel.USER_NOT_FOUND)
