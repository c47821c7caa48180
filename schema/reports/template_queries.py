"""Every version of a template, for the admins who manage them."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.reports.template_versions import VERSIONS_ORDER, list_template_versions
from schema.connection import CURSOR, PAGE_INFO, After, Before, First, Last, connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAdmin
from schema.prefetch import preset
from schema.reports.templates import ReportTemplate
from schema.reports.types import ReportType


@strawberry.type(description="A template version and its cursor.")
class ReportTemplateEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: ReportTemplate = strawberry.field(description="The template version.")


@strawberry.type(description="A page of a template's versions, newest first.")
class ReportTemplateConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[ReportTemplateEdge] = strawberry.field(description="The versions of this page, with cursors.")
    total_count: int = strawberry.field(description="How many versions the template has.")

    @field(description="The versions of this page, without edges.", metadata=preset())
    def nodes(self) -> list[ReportTemplate]:
        return [edge.node for edge in self.edges]


@strawberry.type
class TemplateQueries:
    @field(
        description="Every version of a report type's template, newest first (admins); each is immutable.",
        permission_classes=[IsAdmin],
    )
    async def report_template_versions(
        self,
        info: Info,
        type: Annotated[ReportType, strawberry.argument(description="The report type.")],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ReportTemplateConnection:
        position, size = VERSIONS_ORDER.window(first=first, after=after, last=last, before=before)
        page = await list_template_versions(info.context.principal, type, position, size)
        return connection(
            ReportTemplateConnection, page, ReportTemplate.from_model, cursor=VERSIONS_ORDER.cursor
        )
