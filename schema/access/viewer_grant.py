"""A partner's own grant as `viewer.grant` shows it: what it may read, where, and until when. Built from the
request's scope (hub.access.grants.grant_scope), so it can say nothing about any other grant, nor about how
the grant was made (who created it, why, its webhook): those are for admins (`partnerGrants`)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.access.principal import Principal
from hub.reports.models import ReportType as ReportTypeModel
from schema.context import Info
from schema.fields import field
from schema.regions.code import RegionCode
from schema.regions.types import Region
from schema.reports.enums import ReportType


@strawberry.type(description="What your partner grant lets you read, and until when.")
class ViewerGrant:
    agency: str = strawberry.field(description="The agency the grant is for.")
    region_codes: list[RegionCode] = strawberry.field(
        description="The regions granted, each with every region below it."
    )
    fields: list[str] = strawberry.field(
        description="The `Type.field` names you may read; other fields are refused with FIELD_NOT_GRANTED, "
        "as are filters and orders on them."
    )
    report_types: list[ReportType] = strawberry.field(
        description="The report types you may read; empty: every type."
    )
    expires_at: datetime = strawberry.field(description="When the grant's token stops working.")

    @classmethod
    def of(cls, principal: Principal) -> ViewerGrant | None:
        scope = principal.scope
        if not principal.is_partner or scope.expires_at is None:
            return None
        known = {kind.value for kind in ReportTypeModel}
        return cls(
            agency=principal.name,
            region_codes=[RegionCode(code) for code in sorted(scope.region_roots or ())],
            fields=sorted(scope.fields or ()),
            report_types=[
                ReportTypeModel(kind) for kind in sorted(scope.report_types or ()) if kind in known
            ],
            expires_at=scope.expires_at,
        )

    @field(description="The regions granted, each with every region below it.")
    async def regions(self, info: Info) -> list[Region]:
        found = await info.context.loaders.region.load_many([str(code) for code in self.region_codes])
        return [Region.from_model(region) for region in found if region is not None]
