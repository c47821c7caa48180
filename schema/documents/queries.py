from __future__ import annotations

import strawberry
from strawberry import relay

from hub.core.ids import object_id
from hub.core.paging import page_size
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.listing import DOCUMENTS_NEWEST, list_documents
from hub.documents.listing import DocumentFilter as DocumentFilterModel
from schema.connection import connection
from schema.context import Info
from schema.documents.types import Document, DocumentCategory, DocumentConnection, DocumentState
from schema.fields import field
from schema.permissions import IsAuthenticated


@strawberry.input(name="DocumentFilter", description="Every part narrows the list; all are optional.")
class DocumentFilterInput:
    region: str | None = strawberry.field(default=None, description="Code of a region: it and all below it.")
    categories: list[DocumentCategory] | None = None
    states: list[DocumentState] | None = None
    report: relay.GlobalID | None = strawberry.field(
        default=None, description="A Report id: the documents it cites as evidence."
    )
    in_trash: bool = strawberry.field(
        default=False,
        description="The trash instead: documents you may restore (needs a role that may upload).",
    )


def _domain_filter(given: DocumentFilterInput | None) -> DocumentFilterModel:
    given = given or DocumentFilterInput()
    report_id = None
    if given.report is not None:
        report_id = object_id(given.report.node_id) if given.report.type_name == "Report" else None
        if report_id is None:
            raise DocumentError(
                DocumentErrorCode.REPORT_NOT_FOUND, "`filter.report` must be the id of a Report", "report"
            )
    return DocumentFilterModel(
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
        filter: DocumentFilterInput | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> DocumentConnection:
        size = page_size(first)
        page = await list_documents(
            _domain_filter(filter),
            info.context.principal,
            after=DOCUMENTS_NEWEST.position(after),
            first=size,
        )
        return connection(
            DocumentConnection, page, Document.from_model, cursor=DOCUMENTS_NEWEST.cursor, after=after
        )
