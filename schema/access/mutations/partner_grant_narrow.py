from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.grant_changes import change_grant_limits
from schema.access.grants import PartnerGrant
from schema.access.mutations.common import GrantId, access_errors, check_known_fields, grant_id
from schema.access.types import AccessError
from schema.context import Info
from schema.describe import ERRORS
from schema.regions.code import RegionCode
from schema.reports.enums import ReportType


@strawberry.input(description="What a partner grant may read from now on; what is left out stays as it is.")
class PartnerGrantLimitsInput:
    region_codes: list[RegionCode] | None = strawberry.field(
        default=None, description="The regions granted, each with every region below it."
    )
    fields: list[str] | None = strawberry.field(default=None, description="`Type.field` names it may read.")
    report_types: list[ReportType] | None = strawberry.field(
        default=None, description="The report types it may read; an empty list: every type."
    )


@strawberry.type(description="What `partnerGrantNarrow` answers.")
class PartnerGrantNarrowPayload:
    grant: PartnerGrant | None = strawberry.field(description="The grant as it is now; null when refused.")
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def change_limits(
    info: Info, id: GrantId, input: PartnerGrantLimitsInput, widen_reason: str | None
) -> PartnerGrant:
    """The shared work of narrowing and widening: known fields, then the domain's checks."""
    if input.fields is not None:
        check_known_fields(info, input.fields)
    grant = await change_grant_limits(
        grant_id(id),
        actor=info.context.principal.actor,
        region_roots=[str(code) for code in input.region_codes] if input.region_codes is not None else None,
        fields=input.fields,
        report_types=[kind.value for kind in input.report_types] if input.report_types is not None else None,
        widen_reason=widen_reason,
    )
    return PartnerGrant.from_model(grant)


async def partner_grant_narrow(
    info: Info,
    id: GrantId,
    input: Annotated[PartnerGrantLimitsInput, strawberry.argument(description="The narrower limits.")],
) -> PartnerGrantNarrowPayload:
    """Let a partner grant read less (admins): regions within its regions, fields and report types among its
    own; anything wider is refused with NOT_NARROWER. Effective from the grant's next request and event."""
    try:
        grant = await change_limits(info, id, input, None)
    except DomainAccessError as error:
        return PartnerGrantNarrowPayload(grant=None, errors=access_errors(error))
    return PartnerGrantNarrowPayload(grant=grant, errors=[])
