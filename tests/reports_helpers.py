"""Shared GraphQL snippets and helpers for the report tests."""

from __future__ import annotations

import uuid
from typing import Any

from hub.audit.pending import pending_entry
from hub.reports.access import apply_update
from hub.reports.models import Report
from tests.graphql import Client, gql_field_as, payload, region_id, upload


async def edit_report(report: Report, changes: dict[str, Any], actor: str = "user:someone-else") -> Report:
    """A change to `report` as read, made directly through the domain's one conditional update."""
    audit = pending_entry(actor, "report.edit", f"Report:{report.id}", changes)
    return await apply_update(report, changes, audit=audit)


REPORT_FIELDS = """report { id status revision version title region { code } period { key }
  values { code value } narratives { section text } evidence { indicator documentIds }
  reviews { action actor { username } revision reasons { target message } note }
  revisions { number submittedBy { username } values { code value } }
  overdue submittedLate viewerActions caseCount author { username } reviewer { username } }
  errors { field code message } created clientMutationId"""

CREATE = f"""mutation($input: ReportCreateInput!) {{ reportCreate(input: $input) {{ {REPORT_FIELDS} }} }}"""
UPDATE = f"""mutation($id: ID!, $input: ReportUpdateInput!) {{
  reportUpdate(id: $id, input: $input) {{ {REPORT_FIELDS} }} }}"""
STEP = {
    name: f"""mutation($id: ID!, $input: {kind}) {{ {name}(id: $id, input: $input) {{ {REPORT_FIELDS} }} }}"""
    for name, kind in (
        ("reportSubmit", "ReportStepInput"),
        ("reportVerify", "ReportStepInput"),
        ("reportEvaluate", "ReportEvaluateInput"),
        ("reportArchive", "ReportStepInput"),
    )
}
RETURN = f"""mutation($id: ID!, $input: ReportReturnInput!) {{
  reportReturn(id: $id, input: $input) {{ {REPORT_FIELDS} }} }}"""
INCIDENT = (
    f"""mutation($input: IncidentCreateInput!) {{ incidentCreate(input: $input) {{ {REPORT_FIELDS} }} }}"""
)

COMPLETE_VALUES = {
    "parties_active": 12,
    "mass_organisations": 140,
    "demonstrations": 3,
    "conflict_potential": "sedang",
    "public_order_conducive": True,
    "stage_obstacles": False,
    "nphd_signed": False,
    "team_decree_in_place": False,
}
NARRATIVES = {
    code: f"Uraian {code}."
    for code in (
        "introduction",
        "political_situation",
        "election_stages",
        "government_support",
        "conflict_and_issues",
        "analysis",
    )
}


def content(
    values: dict[str, Any] | None = None,
    narratives: dict[str, str] | None = None,
    evidence: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    given: dict[str, Any] = {}
    if values is not None:
        given["values"] = [{"code": code, "value": value} for code, value in values.items()]
    if narratives is not None:
        given["narratives"] = [{"section": code, "text": text} for code, text in narratives.items()]
    if evidence is not None:
        given["evidence"] = [{"indicator": code, "documents": ids} for code, ids in evidence.items()]
    return given


async def create_report(
    client_for: Client, token: str, region: str, year: int, quarter: int, given: dict[str, Any] | None = None
) -> dict[str, Any]:
    result = await gql_field_as(
        client_for,
        token,
        CREATE,
        {
            "input": {
                "region": region_id(region),
                "period": {"year": year, "quarter": quarter},
                "content": given or {},
            }
        },
    )
    assert result["errors"] == [], result["errors"]
    report: dict[str, Any] = result["report"]
    return report


async def uploaded_document(client_for: Client, token: str, region: str) -> str:
    async with client_for(token) as client:
        result = payload(
            await upload(client, region=region, data=f"SK {uuid.uuid4()}".encode(), name="sk.txt")
        )
    assert result["errors"] == []
    document_id: str = result["document"]["id"]
    return document_id
