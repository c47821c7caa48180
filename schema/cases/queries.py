from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from beanie import PydanticObjectId
from strawberry import relay

from hub.cases.errors import CaseError, CaseErrorCode
from hub.cases.listing import CaseFilter as CaseFilterModel
from hub.cases.listing import CaseOrder as CaseOrderModel
from hub.cases.listing import list_cases, order_for
from hub.core.ids import object_id
from hub.i18n import Text
from schema.cases.types import Case, CaseCategory, CaseConnection, CaseOrder, CaseStatus
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.regions.code import RegionCode
from schema.reports.types import RiskLevel
from schema.sync.arguments import UpdatedSince


@strawberry.input(name="CaseFilter", description="Every part narrows the list; all are optional.")
class CaseFilterInput:
    region: RegionCode | None = strawberry.field(
        default=None, description="A region: the cases of it and of every region below it."
    )
    statuses: list[CaseStatus] | None = strawberry.field(default=None, description="Only these statuses.")
    categories: list[CaseCategory] | None = strawberry.field(
        default=None, description="Only these categories."
    )
    severities: list[RiskLevel] | None = strawberry.field(default=None, description="Only these severities.")
    overdue: bool | None = strawberry.field(
        default=None, description="True: only those not resolved and past their due date; false: the others."
    )
    due_after: datetime | None = strawberry.field(default=None, description="Only those due after this time.")
    due_before: datetime | None = strawberry.field(
        default=None, description="Only those due before this time."
    )
    stage_code: str | None = strawberry.field(
        default=None, description="Only those about this election stage (tahapan) code."
    )
    source_report: relay.GlobalID | None = strawberry.field(
        default=None, description="Only those raised from this report (a Report id)."
    )
    assignee: relay.GlobalID | None = strawberry.field(
        default=None, description="Only those assigned to this account (a User id)."
    )


def _id_of(value: relay.GlobalID | None, type_name: str, field: str) -> PydanticObjectId | None:
    if value is None:
        return None
    oid = object_id(value.node_id) if value.type_name == type_name else None
    if oid is None:
        raise CaseError(
            CaseErrorCode.INVALID_FILTER,
            Text("cases.filter_wrong_id_type", field=field, type_name=type_name),
            field,
        )
    return oid


def case_filter(given: CaseFilterInput | None, updated_since: datetime | None = None) -> CaseFilterModel:
    given = given or CaseFilterInput()
    source_report = _id_of(given.source_report, "Report", "sourceReport")
    assignee = _id_of(given.assignee, "User", "assignee")
    return CaseFilterModel(
        region=given.region,
        statuses=list(given.statuses or []),
        categories=list(given.categories or []),
        severities=list(given.severities or []),
        overdue=given.overdue,
        due_after=given.due_after,
        due_before=given.due_before,
        stage_code=given.stage_code,
        source_report_id=source_report,
        assignee_id=assignee,
        updated_since=updated_since,
    )


@strawberry.type
class CaseQueries:
    @field(
        description="Cases (kendala) the viewer may see, filtered, in a stable order.",
        permission_classes=[IsAuthenticated],
    )
    async def cases(
        self,
        info: Info,
        filter: Annotated[
            CaseFilterInput | None,
            strawberry.argument(description="What to list; all you may see by default."),
        ] = None,
        order_by: Annotated[
            CaseOrder,
            strawberry.argument(
                description="The order. Partner grants without `Case.dueAt` get CREATED_AT_ASC instead of "
                "the default."
            ),
        ] = CaseOrderModel.DUE_AT_ASC,
        first: First = 20,
        after: After = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> CaseConnection:
        order_by = order_for(info.context.principal.scope, order_by)
        wanted = case_filter(filter, updated_since)
        keyset = wanted.keyset(order_by)
        position, size = keyset.window(first=first, after=after, last=last, before=before)
        page = await list_cases(
            wanted,
            info.context.principal.scope,
            order=order_by,
            after=position,
            first=size,
            now=datetime.now(UTC),
        )
        return connection(CaseConnection, page, Case.from_model, cursor=keyset.cursor)
