from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.grants import create_grant
from schema.access.grants import PartnerGrant
from schema.access.mutations.common import access_errors, check_known_fields
from schema.access.types import AccessError
from schema.context import Info
from schema.describe import ERRORS
from schema.regions.code import RegionCode
from schema.reports.enums import ReportType


@strawberry.input(description="What a partner agency may read, where, and until when.")
class PartnerGrantCreateInput:
    agency: str = strawberry.field(description="The agency, such as `KPU`, `Bawaslu` or `DKPP`.")
    region_codes: list[RegionCode] = strawberry.field(
        description="The regions granted, each with every region below it."
    )
    fields: list[str] = strawberry.field(
        description="`Type.field` names the partner may read, e.g. `Document.fileName`; a record type is "
        "readable through the fields listed of it, and filters and orders need the fields they read."
    )
    expires_at: datetime = strawberry.field(description="When the grant stops working; within a year.")
    report_types: list[ReportType] | None = strawberry.field(
        default=None, description="The report types it may read; every type when left out."
    )
    description: str | None = strawberry.field(default=None, description="Why the grant exists, for admins.")


@strawberry.type(description="What `partnerGrantCreate` answers.")
class PartnerGrantCreatePayload:
    grant: PartnerGrant | None = strawberry.field(description="The grant created; null when refused.")
    token: str | None = strawberry.field(description="The partner's bearer token, shown only this once.")
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def partner_grant_create(
    info: Info,
    input: Annotated[PartnerGrantCreateInput, strawberry.argument(description="The grant to create.")],
) -> PartnerGrantCreatePayload:
    """Grant a partner agency read-only access to some regions and fields until a date (admins only)."""
    try:
        check_known_fields(info, input.fields)
        created = await create_grant(
            actor=info.context.principal.actor,
            agency=input.agency,
            region_roots=[str(code) for code in input.region_codes],
            fields=input.fields,
            expires_at=input.expires_at,
            report_types=[kind.value for kind in input.report_types] if input.report_types else None,
            description=input.description,
        )
    except DomainAccessError as error:
        return PartnerGrantCreatePayload(grant=None, token=None, errors=access_errors(error))
    grant = created.grant
    return PartnerGrantCreatePayload(grant=PartnerGrant.from_model(grant), token=created.token, errors=[])
