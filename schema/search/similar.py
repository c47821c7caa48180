"""The `similar` field of Report: more-like-this over what the viewer may see (the records; the field makes
the GraphQL objects, so that this module does not import the type it serves)."""

from __future__ import annotations

from hub.i18n import Text
from hub.reports.models import Report as ReportModel
from schema.context import Info
from schema.error_codes import ClientError
from search.similar import MAX_SIMILAR, similar_reports


async def similar_to(info: Info, report: ReportModel, first: int) -> list[ReportModel]:
    if first < 0 or first > MAX_SIMILAR:
        raise ClientError(Text("request.first_between", low=0, high=MAX_SIMILAR))
    clients = info.context.clients
    hits = await similar_reports(
        clients.es,
        clients.settings.es_index_prefix,
        report,
        scope=info.context.principal.scope,
        first=first,
    )
    found = await info.context.loaders.report.load_many([hit.id for hit in hits])
    return [model for model in found if model is not None]
