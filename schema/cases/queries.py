from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from beanie import PydanticObjectId
from strawberry import relay

from hub.cases.errors import CaseError, CaseErrorCode
from hub.cases.listing import CaseFilter as CaseFilterModel
from hub.cases.listing import CaseOrder as CaseOrderModel
from hub.cases.listing import list_cases, order_for
from hub.core.ids import object_id
from hub.core.paging import page_size
from schema.cases.types import Case, CaseCategory, CaseConnection, CaseOrder, CaseStatus
from schema.connection import connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.reports.types import RiskLevel


@strawberry.input(name="CaseFilter", description="Every part narrows the list; all are optional.")
class CaseFilterInput:
    region: str | None = strawberry.field(default=None, description="Code of a region: it and all below it.")
    statuses: list[CaseStatus] | None = None
    categories: list[CaseCategory] | None = None
    severities: list[RiskLevel] | None = None
    overdue: bool | None = strawberry.field(default=None, description="Not resolved and past the due date.")
    due_after: datetime | None = None
    due_before: datetime | None = None
    stage_code: str | None = None
    source_report: relay.GlobalID | None = strawberry.field(default=None, description="A Report id.")
    assignee: relay.GlobalID | None = strawberry.field(default=None, description="A User id.")


def _id_of(value: relay.GlobalID | None, type_name: str, field: str) -> PydanticObjectId | None:
    if value is None:
        return None
    oid = object_id(value.node_id) if value.type_name == type_name else None
    if oid is None:
        raise CaseError(
            CaseErrorCode.INVALID_FILTER, f"`filter.{field}` must be the id of a {type_name}", field
        )
    return oid


def _domain_filter(given: CaseFilterInput | None) -> CaseFilterModel:
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
        filter: CaseFilterInput | None = None,
        order_by: CaseOrder = CaseOrderModel.DUE_AT_ASC,
        first: int | None = 20,
        after: str | None = None,
    ) -> CaseConnection:
        order_by = order_for(info.context.principal.scope, order_by)
        size = page_size(first)
        keyset = order_by.keyset
        page = await list_cases(
            _domain_filter(filter),
            info.context.principal.scope,
            order=order_by,
            after=keyset.position(after),
            first=size,
            now=datetime.now(UTC),
        )
        return connection(CaseConnection, page, Case.from_model, cursor=keyset.cursor, after=after)
