from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from beanie import PydanticObjectId
from strawberry import relay

from hub.core.ids import object_id
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.listing import DocumentFilter as DocumentFilterModel
from hub.documents.listing import list_documents
from hub.i18n import Text
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.documents.types import Document, DocumentCategory, DocumentConnection, DocumentState
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.regions.code import RegionCode
from schema.sync.arguments import UpdatedSince


@strawberry.input(name="DocumentFilter", description="Every part narrows the list; all are optional.")
class DocumentFilterInput:
    region: RegionCode | None = strawberry.field(
        default=None, description="A region: the documents of it and of every region below it."
    )
    categories: list[DocumentCategory] | None = strawberry.field(
        default=None, description="Only documents of these categories."
    )
    states: list[DocumentState] | None = strawberry.field(
        default=None, description="Only documents in these processing states."
    )
    report: relay.GlobalID | None = strawberry.field(
        default=None, description="A Report id: the documents it cites as evidence."
    )
    period: str | None = strawberry.field(
        default=None, description="Only documents that are evidence for this period (`2026-Q1`)."
    )
    number: str | None = strawberry.field(default=None, description="Only documents bearing this number.")
    supports_report: relay.GlobalID | None = strawberry.field(
        default=None, description="A Report id: the documents recorded as supporting it (their `report`)."
    )
    supports_case: relay.GlobalID | None = strawberry.field(
        default=None, description="A Case id: the documents recorded as supporting it (their `case`)."
    )
    in_trash: bool = strawberry.field(
        default=False,
        description="The trash instead: documents you may restore (needs a role that may upload).",
    )


def _linked(value: relay.GlobalID | None, type_name: str, code: DocumentErrorCode) -> PydanticObjectId | None:
    if value is None:
        return None
    found = object_id(value.node_id) if value.type_name == type_name else None
    if found is None:
        field = f"supports{type_name}"
        raise DocumentError(code, f"`filter.{field}` must be the id of a {type_name}", field)
    return found


def document_filter(
    given: DocumentFilterInput | None, updated_since: datetime | None = None
) -> DocumentFilterModel:
    given = given or DocumentFilterInput()
    report_id = None
    if given.report is not None:
        report_id = object_id(given.report.node_id) if given.report.type_name == "Report" else None
        if report_id is None:
            raise DocumentError(
                DocumentErrorCode.REPORT_NOT_FOUND, Text("documents.report_filter_id"), "report"
            )
    supports_report = _linked(given.supports_report, "Report", DocumentErrorCode.REPORT_NOT_FOUND)
    supports_case = _linked(given.supports_case, "Case", DocumentErrorCode.CASE_NOT_FOUND)
    return DocumentFilterModel(
        period_key=given.period,
        number=given.number,
        supports_report=supports_report,
        supports_case=supports_case,
        updated_since=updated_since,
        region=given.region,
        categories=list(given.categories or []),
        states=list(given.states or []),
        report_id=report_id,
        in_trash=given.in_trash,
    )


@strawberry.type
class DocumentQueries:
    @field(
        description="Supporting documents the viewer may see, newest first; documents in the trash only with "
        "`filter.inTrash`.",
        permission_classes=[IsAuthenticated],
    )
    async def documents(
        self,
        info: Info,
        filter: Annotated[
            DocumentFilterInput | None, strawberry.argument(description="What to list; all by default.")
        ] = None,
        first: First = 20,
        after: After = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> DocumentConnection:
        wanted = document_filter(filter, updated_since)
        position, size = wanted.keyset.window(first=first, after=after, last=last, before=before)
        page = await list_documents(wanted, info.context.principal, after=position, first=size)
        return connection(
            DocumentConnection, page, Document.from_model, cursor=wanted.keyset.cursor, after=after
        )
