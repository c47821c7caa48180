"""`GET /reports/{id}.pdf`: the printable report (hub.reports.printable, hub.reports.pdf).

It takes the same `Authorization: Bearer <token>` as the API (what `Report.pdfUrl` points at): no second kind
of credential exists that could leak. `id` is the report's id or its global id. Whoever may read the report
in the API may print it, partners with only the parts their grant reads (the read is logged like an API
read); a report that does not exist and one outside the reader's scope answer the same 404. Each PDF spends
one unit of the caller's request budget, like an export.
"""

from __future__ import annotations

import hashlib

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from hub.access.authenticate import authenticate
from hub.access.grants import log_partner_read
from hub.access.principal import Principal
from hub.clients import Clients
from hub.core.ids import from_global_id, global_id
from hub.http.admission import admit_budget
from hub.http.refusals import RequestRefused
from hub.i18n import negotiate
from hub.reports.errors import ReportError
from hub.reports.pdf import render_pdf
from hub.reports.printable import PRINTED_FIELDS, printable_report

ROUTE = "/reports/{id}.pdf"


def report_id_of(given: str) -> str:
    """The report's own id, from it or from its global id (anything else is looked up and not found)."""
    found = from_global_id(given)
    return found[1] if found is not None and found[0] == "Report" else given


async def _reader(request: Request, clients: Clients) -> Principal:
    authentication = await authenticate(clients.settings, request.headers.get("authorization"))
    principal = authentication.principal
    if not principal.is_authenticated:
        if authentication.error is not None:
            raise RequestRefused(401, authentication.error.code.value, authentication.error.message)
        raise RequestRefused(401, "UNAUTHENTICATED", "sign in first: send 'Authorization: Bearer <token>'")
    return principal


async def report_pdf(request: Request) -> Response:
    clients: Clients = request.app.state.clients
    raw_id = report_id_of(request.path_params["id"])
    try:
        principal = await _reader(request, clients)
        await admit_budget(request, principal, request.app.state.rate_policy, clients.redis, spend=True)
        try:
            printable = await printable_report(principal, raw_id)
        except ReportError:
            raise RequestRefused(404, "NOT_FOUND", "no report has this id among those you may read") from None
    except RequestRefused as refusal:
        return refusal.response(negotiate(request.headers.get("accept-language")))
    if principal.is_partner:
        path = request.url.path
        await log_partner_read(
            principal,
            operation_name=f"GET {ROUTE}",
            query=path,
            query_sha256=hashlib.sha256(path.encode()).hexdigest(),
            variables={},
            declared_variables=[],
            object_ids=[global_id("Report", printable.report_id)],
            fields=[name for name in PRINTED_FIELDS if principal.scope.allows_field(*name.split("."))],
        )
    body = await anyio.to_thread.run_sync(render_pdf, printable)
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="laporan-{printable.report_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )
