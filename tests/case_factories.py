"""Factories and GraphQL snippets shared by the case tests."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import Any

from hub.access.models import User
from hub.access.principal import system_principal
from hub.audit.pending import pending_entry
from hub.cases.models import Case
from hub.cases.rules import apply_update
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.dispatch import NoDispatch
from hub.documents.models import DocumentCategory
from hub.documents.upload import IncomingFile, upload_document
from hub.regions.services import get_region
from hub.reports.models import Period, Report, ReportType
from tests.graphql import Client, global_id, gql_field_as, raw_id, region_id

CASE_FIELDS = """
  id title description status severity category version overdue dueAt stageCode sourceIndicator
  sourceReportId openedBy { username } viewerCanResolve region { code } escalatedTo { code }
  assignee { username } followUps { actor { username } note evidence { id } }
  resolution { note evidence { id } }
  escalations { fromRegion { code } toRegion { code } reason }
"""
CREATE = f"""mutation($input: CaseCreateInput!) {{
  caseCreate(input: $input) {{
    created clientMutationId errors {{ field code message }} case {{ {CASE_FIELDS} }} }} }}"""
FOLLOW_UP = f"""mutation($id: ID!, $input: CaseFollowUpAddInput!) {{
  caseFollowUpAdd(id: $id, input: $input) {{ errors {{ field code message }} case {{ {CASE_FIELDS} }} }} }}"""
ASSIGN = f"""mutation($id: ID!, $input: CaseAssignInput!) {{
  caseAssign(id: $id, input: $input) {{ errors {{ field code message }} case {{ {CASE_FIELDS} }} }} }}"""
RESOLVE = f"""mutation($id: ID!, $input: CaseResolveInput!) {{
  caseResolve(id: $id, input: $input) {{ errors {{ field code message }} case {{ {CASE_FIELDS} }} }} }}"""
NODE = f"query($id: ID!) {{ node(id: $id) {{ id ... on Case {{ {CASE_FIELDS} }} }} }}"


async def edit_case(case: Case, changes: dict[str, Any], actor: str = "user:someone-else") -> Case:
    """A change to `case` as read, made directly through the domain's one conditional update."""
    audit = pending_entry(actor, "case.edit", f"Case:{case.id}", changes)
    return await apply_update(case, changes, audit=audit)


def case_input(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": f"Distribusi logistik terlambat {uuid.uuid4().hex[:6]}",
        "description": "Kotak suara belum tiba di gudang KPU kabupaten.",
        "category": "LOGISTICS",
        "severity": "HIGH",
        "dueAt": (utcnow() + timedelta(days=30)).isoformat(),
        "region": region_id("31.74"),
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


async def create_case(client_for: Client, token: str, **overrides: Any) -> dict[str, Any]:
    payload = await gql_field_as(client_for, token, CREATE, {"input": case_input(**overrides)}, "caseCreate")
    assert payload["errors"] == [], payload["errors"]
    case: dict[str, Any] = payload["case"]
    return case


async def stored(case_global_id: str) -> dict[str, Any]:
    """The case exactly as MongoDB holds it."""
    from beanie import PydanticObjectId

    raw = await Case.get_pymongo_collection().find_one({"_id": PydanticObjectId(raw_id(case_global_id))})
    assert raw is not None
    return dict(raw)


async def make_report(region: str = "31.74", stage_code: str | None = None) -> Report:
    found = await get_region(region)
    assert found is not None
    report = Report(
        region_code=region,
        region_path=found.subtree_codes,
        type=ReportType.QUARTERLY,
        template_version=1,
        period=Period(year=2026, quarter=1),
        period_key=f"test-{uuid.uuid4().hex}",
        title=f"Laporan triwulan {region}",
        author="user:operator-31.74",
        stage_code=stage_code,
        due_at=utcnow() + timedelta(days=10),
    )
    await report.insert()
    return report


async def make_document(clients: Clients, region: str) -> str:
    """A stored document of the region, as a Document global id."""
    data = f"Berita acara tindak lanjut {region} {uuid.uuid4()}".encode()
    result = await upload_document(
        store=clients.store,
        dispatcher=NoDispatch(),
        max_bytes=clients.settings.max_upload_bytes,
        region_code=region,
        category=DocumentCategory.MINUTES,
        file=IncomingFile(name="berita-acara.txt", stream=io.BytesIO(data), size=len(data)),
        principal=system_principal("tests"),
    )
    return global_id("Document", result.document.id)


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["errors"]]


async def user_global_id(username: str) -> str:
    user = await User.find_one({"username": username})
    assert user is not None
    return global_id("User", user.id)


async def refused_create(client_for: Client, token: str, **overrides: Any) -> dict[str, Any]:
    marker = f"ditolak {uuid.uuid4().hex}"
    payload: dict[str, Any] = await gql_field_as(
        client_for, token, CREATE, {"input": case_input(title=marker, **overrides)}, "caseCreate"
    )
    assert payload["case"] is None
    assert payload["created"] is False
    assert await Case.find({"title": marker}).count() == 0
    return payload


async def stored_content(case_global_id: str) -> dict[str, Any]:
    """The stored case without its index marker, which the indexer clears at any moment."""
    raw = await stored(case_global_id)
    raw.pop("needs_index", None)
    return raw


async def unchanged_after(case_id: str, refusal: Any) -> dict[str, Any]:
    before = await stored_content(case_id)
    payload: dict[str, Any] = await refusal
    assert payload.get("case") is None
    assert await stored_content(case_id) == before
    return payload
