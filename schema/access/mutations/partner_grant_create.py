from __future__ import annotations

from datetime import datetime

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.errors import AccessErrorCode
from hub.access.grants import create_grant
from schema.access.mutations.common import access_errors
from schema.access.types import AccessError, PartnerGrant
from schema.context import Info


@strawberry.input
class PartnerGrantCreateInput:
    agency: str
    region_codes: list[str] = strawberry.field(description="Roots of the region subtrees granted.")
    fields: list[str] = strawberry.field(
        description="`Type.field` names the partner may read, e.g. `Document.fileName`."
    )
    expires_at: datetime
    report_types: list[str] | None = None
    description: str | None = None


@strawberry.type
class PartnerGrantCreatePayload:
    grant: PartnerGrant | None
    token: str | None = strawberry.field(description="The partner's bearer token, shown only this once.")
    errors: list[AccessError]


def _unknown_fields(info: Info, fields: list[str]) -> list[str]:
    """Names that are not `Type.field` of this schema (GraphQL spelling, as partners write their queries)."""
    converter = info.schema.config.name_converter
    unknown = []
    for name in fields:
        type_name, _, field_name = name.partition(".")
        definition = info.schema.get_type_by_name(type_name)
        known = getattr(definition, "fields", None) or []
        if not any(converter.get_graphql_name(field) == field_name for field in known):
            unknown.append(name)
    return unknown


async def partner_grant_create(info: Info, input: PartnerGrantCreateInput) -> PartnerGrantCreatePayload:
    """Grant a partner agency read-only access to some regions and fields until a date (admins only)."""
    try:
        unknown = _unknown_fields(info, input.fields)
        if unknown:
            raise DomainAccessError(
                AccessErrorCode.INVALID_GRANT, f"unknown fields: {', '.join(unknown)}", "fields"
            )
        created = await create_grant(
            actor=info.context.principal.actor,
            agency=input.agency,
            region_roots=input.region_codes,
            fields=input.fields,
            expires_at=input.expires_at,
            report_types=input.report_types,
            description=input.description,
        )
    except DomainAccessError as error:
        return PartnerGrantCreatePayload(grant=None, token=None, errors=access_errors(error))
    grant = created.grant
    return PartnerGrantCreatePayload(grant=PartnerGrant.from_model(grant), token=created.token, errors=[])
