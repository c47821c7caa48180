"""Cases (kendala and tindak lanjut) through the GraphQL API: opening, follow-up, assignment, resolution,
idempotent retries and refusals that change nothing (access: test_cases_access.py)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from beanie import PydanticObjectId

from hub.audit.models import AuditEntry
from hub.cases.errors import CaseError, CaseErrorCode
from hub.cases.models import Case
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentState, StoredDocument
from tests.case_factories import (
    ASSIGN,
    CREATE,
    FOLLOW_UP,
    RESOLVE,
    case_input,
    codes,
    create_case,
    edit_case,
    make_document,
    make_report,
    refused_create,
    stored,
    stored_content,
    unchanged_after,
    user_global_id,
)
from tests.conftest import Account
from tests.graphql import Client, global_id, gql_field_as, raw_id, region_id


@pytest.fixture(scope="module")
async def evidence(seeded: Clients) -> dict[str, str]:
    """One stored document in Jakarta Utara (31.74) and one in Aceh (11.01)."""
    return {"31.74": await make_document(seeded, "31.74"), "11.01": await make_document(seeded, "11.01")}


async def test_open_directly(client_for: Client, accounts: dict[str, Account]) -> None:
    case = await create_case(client_for, accounts["operator-31.74"].token, stageCode="pemungutan_suara")
    assert case["region"] == {"code": "31.74"}
    assert (case["status"], case["version"], case["overdue"], case["viewerCanResolve"]) == (
        "OPEN",
        1,
        False,
        True,
    )
    assert (case["openedBy"], case["stageCode"], case["sourceReportId"]) == (
        {"username": "operator-31.74"},
        "pemungutan_suara",
        None,
    )
    raw = await stored(case["id"])
    assert "needs_index" in raw  # written with the case; a running worker may have indexed it already
    audit = await AuditEntry.find_one({"target": f"Case:{raw_id(case['id'])}", "action": "case.create"})
    assert audit is not None
    assert (audit.actor, audit.change["region"]) == ("user:operator-31.74", "31.74")


async def test_open_from_a_report_and_indicator(client_for: Client, accounts: dict[str, Account]) -> None:
    report = await make_report("31.74", stage_code="kampanye")
    report_id = global_id("Report", report.id)
    case = await create_case(
        client_for,
        accounts["coordinator-31"].token,
        region=None,
        sourceReport=report_id,
        sourceIndicator="nphd_signed",
        category="NPHD",
    )
    assert case["region"] == {"code": "31.74"}
    assert (case["sourceReportId"], case["sourceIndicator"], case["stageCode"]) == (
        report_id,
        "nphd_signed",
        "kampanye",
    )
    listed = await gql_field_as(
        client_for,
        accounts["coordinator-31"].token,
        "query($r: ID!) { cases(filter: {sourceReport: $r}) { totalCount nodes { id } } }",
        {"r": report_id},
        "cases",
    )
    assert listed == {"totalCount": 1, "nodes": [{"id": case["id"]}]}


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"region": None}, "REGION_REQUIRED", "region"),
        ({"region": region_id("99.99")}, "REGION_NOT_FOUND", "region"),
        ({"region": global_id("Document", "x")}, "REGION_NOT_FOUND", "region"),
        ({"dueAt": (utcnow() - timedelta(hours=1)).isoformat()}, "INVALID_DUE_DATE", "dueAt"),
        ({"description": "x" * 10_001}, "INVALID_TEXT", "description"),
        ({"sourceIndicator": "nphd_signed"}, "SOURCE_REPORT_REQUIRED", "sourceIndicator"),
        ({"stageCode": "tahap 1; drop"}, "INVALID_STAGE", "stageCode"),
        ({"sourceReport": global_id("Report", PydanticObjectId())}, "REPORT_NOT_FOUND", "sourceReport"),
    ],
)
async def test_bad_input_is_refused_with_a_specific_error(
    client_for: Client, accounts: dict[str, Account], overrides: dict[str, Any], code: str, field: str
) -> None:
    payload = await refused_create(client_for, accounts["operator-31.74"].token, **overrides)
    assert [(error["code"], error["field"]) for error in payload["errors"]] == [(code, field)]
    assert payload["errors"][0]["message"]


async def test_empty_title_is_refused(client_for: Client, accounts: dict[str, Account]) -> None:
    before = await Case.find_all().count()
    payload = await gql_field_as(
        client_for, accounts["admin"].token, CREATE, {"input": case_input(title="   ")}, "caseCreate"
    )
    assert codes(payload) == ["INVALID_TITLE"]
    assert await Case.find_all().count() == before


async def test_report_problems_are_refused(client_for: Client, accounts: dict[str, Account]) -> None:
    report = await make_report("31.74")
    report_id = global_id("Report", report.id)
    token = accounts["operator-31.74"].token
    unknown = await refused_create(client_for, token, sourceReport=report_id, sourceIndicator="no_such")
    assert codes(unknown) == ["INDICATOR_NOT_FOUND"]
    elsewhere = await refused_create(client_for, token, sourceReport=report_id, region=region_id("31.71"))
    assert codes(elsewhere) == ["REGION_MISMATCH"]
    # A report outside the principal's scope does not exist for it.
    outside = await refused_create(client_for, accounts["operator-11.01"].token, sourceReport=report_id)
    assert codes(outside) == ["REPORT_NOT_FOUND"]


async def test_a_retried_creation_returns_the_first_case(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    retry = f"hp-{uuid.uuid4().hex}"
    variables = {"input": case_input(clientMutationId=retry)}
    token = accounts["operator-31.74"].token
    first = await gql_field_as(client_for, token, CREATE, variables, "caseCreate")
    again = await gql_field_as(client_for, token, CREATE, variables, "caseCreate")
    assert (first["created"], again["created"]) == (True, False)
    assert again["case"]["id"] == first["case"]["id"]
    assert again["clientMutationId"] == retry
    assert await Case.find({"client_mutation_id": retry}).count() == 1
    # The same value from someone else is their own submission.
    other = await gql_field_as(client_for, accounts["coordinator-31"].token, CREATE, variables, "caseCreate")
    assert other["created"] is True
    assert other["case"]["id"] != first["case"]["id"]
    assert await AuditEntry.find({"target": f"Case:{raw_id(first['case']['id'])}"}).count() == 1


async def test_follow_up_with_evidence(
    client_for: Client, accounts: dict[str, Account], evidence: dict[str, str]
) -> None:
    token = accounts["operator-31.74"].token
    case = await create_case(client_for, token)
    retry = f"fu-{uuid.uuid4().hex}"
    variables = {
        "id": case["id"],
        "input": {
            "note": "Koordinasi dengan KPU",
            "evidence": [evidence["31.74"]],
            "clientMutationId": retry,
        },
    }
    payload = await gql_field_as(client_for, token, FOLLOW_UP, variables, "caseFollowUpAdd")
    assert payload["errors"] == []
    updated = payload["case"]
    assert (updated["status"], updated["version"]) == ("IN_PROGRESS", 2)
    assert updated["followUps"] == [
        {
            "actor": {"username": "operator-31.74"},
            "note": "Koordinasi dengan KPU",
            "evidence": [{"id": evidence["31.74"]}],
        }
    ]
    retried = await gql_field_as(client_for, token, FOLLOW_UP, variables, "caseFollowUpAdd")
    assert (len(retried["case"]["followUps"]), retried["case"]["version"]) == (1, 2)


async def test_refusals_change_nothing(
    seeded: Clients, client_for: Client, accounts: dict[str, Account], evidence: dict[str, str]
) -> None:
    token = accounts["operator-31.74"].token
    case = await create_case(client_for, token)
    cid = case["id"]

    async def attempt(query: str, field: str, given: dict[str, Any]) -> list[str]:
        payload = await unchanged_after(
            cid, gql_field_as(client_for, token, query, {"id": cid, "input": given}, field)
        )
        return codes(payload)

    outside_doc = {"note": "Bukti", "evidence": [evidence["11.01"]]}
    assert await attempt(FOLLOW_UP, "caseFollowUpAdd", outside_doc) == ["EVIDENCE_NOT_FOUND"]
    assert await attempt(FOLLOW_UP, "caseFollowUpAdd", {"note": "  "}) == ["NOTE_REQUIRED"]
    not_a_document = {"note": "Bukti", "evidence": [case["id"]]}
    assert await attempt(FOLLOW_UP, "caseFollowUpAdd", not_a_document) == ["EVIDENCE_NOT_FOUND"]
    trashed, rejected = await make_document(seeded, "31.74"), await make_document(seeded, "31.74")
    documents = StoredDocument.get_pymongo_collection()
    await documents.update_one({"_id": PydanticObjectId(raw_id(trashed))}, {"$set": {"deleted_at": utcnow()}})
    await documents.update_one(
        {"_id": PydanticObjectId(raw_id(rejected))}, {"$set": {"state": DocumentState.REJECTED.value}}
    )
    for unusable in (trashed, rejected):
        given = {"note": "Bukti", "evidence": [unusable]}
        assert await attempt(FOLLOW_UP, "caseFollowUpAdd", given) == ["EVIDENCE_NOT_FOUND"]
    # Whoever may not be assigned (another region, a role that does not work on cases, nobody), the answer
    # is the same and says nothing of the user.
    aceh = await user_global_id("operator-11.01")
    assert await attempt(ASSIGN, "caseAssign", {"assignee": aceh}) == ["USER_NOT_FOUND"]
    leader = await user_global_id("leader-31")
    assert await attempt(ASSIGN, "caseAssign", {"assignee": leader}) == ["USER_NOT_FOUND"]
    nobody = global_id("User", PydanticObjectId())
    assert await attempt(ASSIGN, "caseAssign", {"assignee": nobody}) == ["USER_NOT_FOUND"]
    assert await attempt(RESOLVE, "caseResolve", {"note": "Selesai", "evidence": []}) == ["EVIDENCE_REQUIRED"]
    stale = {"note": "Selesai", "evidence": [evidence["31.74"]], "expectedVersion": 7}
    assert await attempt(RESOLVE, "caseResolve", stale) == ["CONFLICT"]


async def test_assign_and_resolve(
    client_for: Client, accounts: dict[str, Account], evidence: dict[str, str]
) -> None:
    token = accounts["coordinator-31"].token
    case = await create_case(client_for, token)
    assignee = await user_global_id("operator-31.74")
    assigned = await gql_field_as(
        client_for,
        token,
        ASSIGN,
        {"id": case["id"], "input": {"assignee": assignee, "expectedVersion": 1}},
        "caseAssign",
    )
    assert assigned["errors"] == []
    assert (assigned["case"]["assignee"], assigned["case"]["status"]) == (
        {"username": "operator-31.74"},
        "IN_PROGRESS",
    )

    operator = accounts["operator-31.74"].token
    resolve_input = {"note": "NPHD ditandatangani", "evidence": [evidence["31.74"]], "expectedVersion": 2}
    resolved = await gql_field_as(
        client_for, operator, RESOLVE, {"id": case["id"], "input": resolve_input}, "caseResolve"
    )
    assert resolved["errors"] == []
    done = resolved["case"]
    assert (done["status"], done["overdue"], done["viewerCanResolve"], done["version"]) == (
        "RESOLVED",
        False,
        False,
        3,
    )
    assert done["resolution"] == {"note": "NPHD ditandatangani", "evidence": [{"id": evidence["31.74"]}]}

    later = await unchanged_after(
        case["id"],
        gql_field_as(
            client_for, operator, FOLLOW_UP, {"id": case["id"], "input": {"note": "lagi"}}, "caseFollowUpAdd"
        ),
    )
    assert codes(later) == ["CASE_RESOLVED"]
    actions = [
        entry.action for entry in await AuditEntry.find({"target": f"Case:{raw_id(case['id'])}"}).to_list()
    ]
    assert actions == ["case.create", "case.assign", "case.resolve"]


async def test_a_change_made_meanwhile_is_a_conflict(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    created = await create_case(client_for, accounts["admin"].token)
    read = await Case.get(PydanticObjectId(raw_id(created["id"])))
    assert read is not None
    await edit_case(read, {"title": "changed by someone else"})
    before = await stored_content(created["id"])
    with pytest.raises(CaseError) as refused:
        await edit_case(read, {"title": "my change"})
    assert refused.value.code is CaseErrorCode.CONFLICT
    assert await stored_content(created["id"]) == before


async def test_a_case_links_back_to_its_report(client_for: Any, accounts: dict[str, Any]) -> None:
    from tests.reports_helpers import CREATE
    from tests.test_reports import fresh_period

    year, quarter = fresh_period()
    created = await gql_field_as(
        client_for,
        accounts["operator-31.74"].token,
        CREATE,
        {"input": {"region": region_id("31.74"), "period": {"year": year, "quarter": quarter}}},
    )
    report_id = created["report"]["id"]
    opened = await gql_field_as(
        client_for,
        accounts["operator-31.74"].token,
        """mutation($r: ID!, $due: DateTime!) {
        caseCreate(input: {sourceReport: $r, title: "NPHD belum ditandatangani", category: NPHD,
                           severity: HIGH, dueAt: $due}) {
          case { id sourceReport { id title } } errors { code } } }""",
        {"r": report_id, "due": (utcnow() + timedelta(days=30)).isoformat()},
    )
    assert opened["errors"] == []
    assert opened["case"]["sourceReport"]["id"] == report_id
