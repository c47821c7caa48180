"""`GET /exports/{reports|cases|completeness}.{csv|xlsx}?…`: the GraphQL lists' filters and scope.

Parameters take the GraphQL spellings: enum values as the API's (`QUARTERLY`, `HIGH`; lowercase is read
too), a region by its code (or a Region's global id), `author` as a User id. The files answer the same way
(hub.exports.sources).

Each export spends one unit of the caller's request budget (hub.http.admission), and every parameter is
checked before the first byte is sent: a bad one is a 400 JSON error with a code, never a broken stream.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from hub.access.authenticate import authenticate
from hub.access.models import User
from hub.access.principal import Principal
from hub.cases.errors import CaseError
from hub.cases.listing import CaseFilter
from hub.cases.models import CaseCategory, CaseStatus
from hub.clients import Clients
from hub.completeness.errors import CompletenessError
from hub.completeness.services import period_start
from hub.core.ids import from_global_id, object_id, region_code_of
from hub.exports.formats import csv_stream, xlsx_stream
from hub.exports.sources import Export, cases_export, completeness_export, reports_export
from hub.http.admission import admit_budget
from hub.http.refusals import RequestRefused
from hub.i18n import Text, negotiate
from hub.regions.services import get_region
from hub.reports.listing import ReportFilter
from hub.reports.models import IncidentCategory, ReportStatus, ReportType, RiskLevel

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
E = TypeVar("E", bound=StrEnum)


class BadParameter(ValueError):
    pass


def _list(request: Request, name: str, kind: Callable[[str], E]) -> list[E]:
    raw = request.query_params.get(name)
    if not raw:
        return []
    try:
        return [kind(value.strip().lower()) for value in raw.split(",") if value.strip()]
    except ValueError:
        raise BadParameter(f"`{name}` has a value that is not allowed: {raw!r}") from None


def _bool(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if raw.lower() not in {"true", "false"}:
        raise BadParameter(f"`{name}` must be true or false")
    return raw.lower() == "true"


async def _region(request: Request, default: str | None = None) -> str | None:
    raw = request.query_params.get("region", default)
    if raw is None:
        return None
    region = await get_region(region_code_of(raw.strip()))
    if region is None:
        raise BadParameter(f"`region`: no region has the code {raw!r}")
    return region.id


def _period(request: Request, name: str) -> str | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    _checked_period(raw.strip(), name)
    return raw.strip()


def _checked_period(key: str, name: str) -> None:
    try:
        period_start(key)
    except CompletenessError:
        raise BadParameter(f"`{name}` must be periods like 2026-Q1, not {key!r}") from None


async def _report_filter(request: Request) -> ReportFilter:
    author = request.query_params.get("author")
    return ReportFilter(
        region=await _region(request),
        types=_list(request, "types", ReportType),
        statuses=_list(request, "statuses", ReportStatus),
        risk_levels=_list(request, "riskLevels", RiskLevel),
        categories=_list(request, "categories", IncidentCategory),
        period_from=_period(request, "periodFrom"),
        period_to=_period(request, "periodTo"),
        overdue=_bool(request, "overdue"),
        author=await _author(author),
    )


async def _author(given: str | None) -> str | None:
    """The stored actor of the account a User id names; an id that names none matches no report."""
    if not given:
        return None
    found = from_global_id(given.strip())
    account = await User.get(found[1]) if found and found[0] == "User" and object_id(found[1]) else None
    return f"user:{account.username}" if account is not None else "user:"


async def _case_filter(request: Request) -> CaseFilter:
    return CaseFilter(
        region=await _region(request),
        statuses=_list(request, "statuses", CaseStatus),
        categories=_list(request, "categories", CaseCategory),
        severities=_list(request, "severities", RiskLevel),
        overdue=_bool(request, "overdue"),
    )


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
    try:
        if name == "reports":
            return await reports_export(principal, await _report_filter(request))
        if name == "cases":
            return await cases_export(principal, await _case_filter(request))
        periods = [key.strip() for key in request.query_params.get("periods", "").split(",") if key.strip()]
        if not periods:
            raise BadParameter("`periods` is required, such as periods=2026-Q1,2026-Q2")
        for key in periods:
            _checked_period(key, "periods")
        root = await _region(request, default="ID")
        return await completeness_export(principal.scope, root or "ID", periods)
    except (CaseError, CompletenessError) as error:
        raise RequestRefused(400, "BAD_PARAMETER", error.raised_message) from None
    except BadParameter as error:
        raise RequestRefused(400, "BAD_PARAMETER", str(error)) from None


async def export(request: Request) -> Response:
    clients: Clients = request.app.state.clients
    name, fmt = request.path_params["name"], request.path_params["format"]
    try:
        principal = await _exporter(request, clients)
        if fmt not in MEDIA or name not in {"reports", "cases", "completeness"}:
            raise RequestRefused(404, "NOT_FOUND", Text("request.exports_not_found"))
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
