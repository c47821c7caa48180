"""`GET /exports/{reports|incidents|cases|documents|search|completeness}.{csv|xlsx}?…`: the GraphQL lists as
files, with the same filters and scope, streamed.

The query parameters are the fields of the filter input of the list the export mirrors, read by the schema
itself (schema.exporting): `reports` and `incidents` take `ReportFilterInput`'s (`region`, `types`,
`statuses`, `riskLevels`, `categories`, `periodFrom`, `periodTo`, `createdFrom`, `createdTo`, `overdue`,
`author`, `stageCode`), `cases` `CaseFilter`'s, `documents` `DocumentFilter`'s, `search` `SearchFilter`'s
plus `query` (the search text); lists are comma-separated, enum values as in the API (lowercase is read
too). `completeness` takes `periods` (comma-separated) and `region`. The files answer the same way as the API
(hub.exports.sources).

Each export spends one unit of the caller's request budget (hub.http.admission), and every parameter is
checked before the first byte is sent: a bad one is a 400 JSON error with a code, never a broken stream.
Partner grants use the API (an export is a bulk read); the columns of every export are nevertheless cut to the
fields a scope reads (hub.exports.columns).
"""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from hub.access.authenticate import authenticate
from hub.access.principal import Principal
from hub.clients import Clients
from hub.completeness.errors import CompletenessError
from hub.completeness.services import period_start
from hub.core.ids import region_code_of
from hub.errors import DomainError
from hub.exports.columns import Export
from hub.exports.formats import csv_stream, xlsx_stream
from hub.exports.records import completeness_export
from hub.http.admission import admit_budget
from hub.http.refusals import RequestRefused
from hub.i18n import Text, negotiate
from hub.regions.services import get_region
from schema.error_codes import ClientError
from schema.exporting import BadFilter, FilterNotGranted, export_of_list

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
NAMES = ("reports", "incidents", "cases", "documents", "search", "completeness")
SEARCH_TEXT = "query"


def _bad(message: str | Text) -> RequestRefused:
    return RequestRefused(400, "BAD_PARAMETER", message)


async def _completeness(request: Request, principal: Principal) -> Export:
    periods = [key.strip() for key in request.query_params.get("periods", "").split(",") if key.strip()]
    if not periods:
        raise _bad("`periods` is required, such as periods=2026-Q1,2026-Q2")
    for key in periods:
        try:
            period_start(key)
        except CompletenessError:
            raise _bad(f"`periods` must be periods like 2026-Q1, not {key!r}") from None
    raw = request.query_params.get("region", "ID").strip()
    region = await get_region(region_code_of(raw))
    if region is None:
        raise _bad(f"`region`: no region has the code {raw!r}")
    return await completeness_export(principal.scope, region.id, periods)


async def _exporter(request: Request, clients: Clients) -> Principal:
    authentication = await authenticate(clients.settings, request.headers.get("authorization"))
    principal = authentication.principal
    if not principal.is_authenticated:
        error = authentication.error
        reason = error.raised_message if error else Text("request.sign_in")
        raise RequestRefused(401, "UNAUTHENTICATED", reason)
    if principal.is_partner:
        raise RequestRefused(403, "PERMISSION_DENIED", Text("request.exports_staff_only"))
    return principal


async def _made(request: Request, principal: Principal, name: str) -> Export:
    """The export with every parameter checked and its filter built; no row is read yet."""
    if name == "completeness":
        return await _completeness(request, principal)
    params = {key: value for key, value in request.query_params.items() if key != SEARCH_TEXT}
    if SEARCH_TEXT in request.query_params and name != "search":
        raise _bad(f"`{SEARCH_TEXT}` is the search text of the search export only")
    try:
        return await export_of_list(
            request.app.state.schema,
            name,
            params,
            viewer=principal,
            clients=request.app.state.clients,
            text=request.query_params.get(SEARCH_TEXT, ""),
        )
    except (BadFilter, ClientError) as error:
        raise _bad(str(error)) from None
    except FilterNotGranted as error:
        raise RequestRefused(403, "FIELD_NOT_GRANTED", str(error)) from None
    except DomainError as error:
        message = f"`{error.field}`: {error.localized()}" if error.field else error.raised_message
        if error.code.value == "PERMISSION_DENIED":
            raise RequestRefused(403, "PERMISSION_DENIED", message) from None
        raise _bad(message) from None


async def export(request: Request) -> Response:
    clients: Clients = request.app.state.clients
    name, fmt = request.path_params["name"], request.path_params["format"]
    try:
        principal = await _exporter(request, clients)
        if fmt not in MEDIA or name not in NAMES:
            raise RequestRefused(404, "NOT_FOUND", f"exports: {', '.join(NAMES)}, as .csv or .xlsx")
        await admit_budget(request, principal, request.app.state.rate_policy, clients.redis, spend=True)
        made = await _made(request, principal, name)
    except RequestRefused as refusal:
        return refusal.response(negotiate(request.headers.get("accept-language")))
    body = (
        csv_stream(made.header, made.rows) if fmt == "csv" else xlsx_stream(made.name, made.header, made.rows)
    )
    filename = f"pantau-{made.name}-{date.today().isoformat()}.{fmt}"
    return StreamingResponse(
        body, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
