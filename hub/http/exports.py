"""`GET /exports/{reports|cases|completeness}.{csv|xlsx}?…`: the GraphQL lists' filters and scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from hub.access.authenticate import authenticate
from hub.cases.listing import CaseFilter
from hub.cases.models import CaseCategory, CaseStatus
from hub.clients import Clients
from hub.completeness.errors import CompletenessError
from hub.exports.formats import csv_stream, xlsx_stream
from hub.exports.sources import Export, cases_export, completeness_export, reports_export
from hub.reports.listing import ReportFilter
from hub.reports.models import IncidentCategory, ReportStatus, ReportType, RiskLevel

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
E = TypeVar("E", bound=StrEnum)


class BadParameter(ValueError):
    pass


def _error(status: int, code: str, message: str) -> Response:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status)


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


def _report_filter(request: Request) -> ReportFilter:
    author = request.query_params.get("author")
    return ReportFilter(
        region=request.query_params.get("region"),
        types=_list(request, "types", ReportType),
        statuses=_list(request, "statuses", ReportStatus),
        risk_levels=_list(request, "riskLevels", RiskLevel),
        categories=_list(request, "categories", IncidentCategory),
        period_from=request.query_params.get("periodFrom"),
        period_to=request.query_params.get("periodTo"),
        overdue=_bool(request, "overdue"),
        author=f"user:{author}" if author else None,
    )


def _case_filter(request: Request) -> CaseFilter:
    return CaseFilter(
        region=request.query_params.get("region"),
        statuses=_list(request, "statuses", CaseStatus),
        categories=_list(request, "categories", CaseCategory),
        severities=_list(request, "severities", RiskLevel),
        overdue=_bool(request, "overdue"),
    )


async def export(request: Request) -> Response:
    clients: Clients = request.app.state.clients
    authentication = await authenticate(clients.settings, request.headers.get("authorization"))
    principal = authentication.principal
    if not principal.is_authenticated:
        reason = authentication.error.message if authentication.error else "sign in first"
        return _error(401, "UNAUTHENTICATED", reason)
    if principal.is_partner:
        return _error(403, "PERMISSION_DENIED", "exports are for staff accounts; partners use the API")
    name, fmt = request.path_params["name"], request.path_params["format"]
    if fmt not in MEDIA or name not in {"reports", "cases", "completeness"}:
        return _error(404, "NOT_FOUND", "exports: reports, cases or completeness, as .csv or .xlsx")
    try:
        made: Export
        if name == "reports":
            made = await reports_export(principal.scope, _report_filter(request))
        elif name == "cases":
            made = await cases_export(principal.scope, _case_filter(request))
        else:
            periods = [
                key.strip() for key in request.query_params.get("periods", "").split(",") if key.strip()
            ]
            if not periods:
                raise BadParameter("`periods` is required, such as periods=2026-Q1,2026-Q2")
            made = await completeness_export(
                principal.scope, request.query_params.get("region", "ID"), periods
            )
    except (BadParameter, CompletenessError) as error:
        return _error(400, "BAD_PARAMETER", str(error))
    body = (
        csv_stream(made.header, made.rows) if fmt == "csv" else xlsx_stream(made.name, made.header, made.rows)
    )
    filename = f"pantau-{made.name}-{date.today().isoformat()}.{fmt}"
    return StreamingResponse(
        body, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
