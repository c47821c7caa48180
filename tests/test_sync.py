"""Incremental sync as its users walk it: an offline operator keeps copies of its documents, incidents and
cases in step with `updatedSince` and `deleted`; tombstones reach exactly those who could see the record
(regions, the owner of a private record, readers of a moved record's old region only); a partner grant syncs
only what it reads."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from bson import ObjectId

from hub.access.grants import create_grant
from hub.access.models import PartnerRead
from hub.core.clock import storable_time, utcnow
from hub.documents.models import StoredDocument
from hub.reports.models import Report
from hub.sync.models import SyncKind, Tombstone
from hub.sync.tombstones import record_move
from tests.case_factories import FOLLOW_UP, create_case
from tests.conftest import Account
from tests.documents_helpers import DELETE, RESTORE, unique_pdf
from tests.graphql import Client, gql_field_as, payload, raw_id, upload
from tests.reports_helpers import INCIDENT, STEP
from tests.sync_helpers import Replica, deleted_page, listing, refused_code, region_path, removed_ids
from tests.test_incidents import incident

DOCUMENTS = listing("documents", "id updatedAt fileName", ', filter: {region: "31.74"}')
INCIDENTS = listing("incidents", "id updatedAt status")
CASES = listing("cases", "id updatedAt status")


async def _document(client_for: Client, token: str, region: str = "31.74") -> str:
    async with client_for(token) as http:
        result = payload(await upload(http, region=region, data=unique_pdf(), name="foto.pdf"))
    assert result["errors"] == []
    document_id: str = result["document"]["id"]
    return document_id


async def _started(client_for: Client, token: str, query: str, kind: str) -> Replica:
    """A replica whose copy is complete as of now (the records made from here on are this test's)."""
    head = await deleted_page(client_for, token, None, first=0)
    return Replica(query, kind, since=head["syncedUntil"])


async def test_an_offline_operator_keeps_its_documents_in_step(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    replica = await _started(client_for, operator, DOCUMENTS, "DOCUMENT")
    kept, gone = await _document(client_for, operator), await _document(client_for, operator)
    await replica.sync(client_for, operator)
    assert {kept, gone} <= set(replica.rows)

    trashed = await gql_field_as(client_for, operator, DELETE, {"id": gone})
    assert trashed["errors"] == []
    later = await _document(client_for, operator)
    await replica.sync(client_for, operator)
    assert kept in replica.rows and later in replica.rows and gone not in replica.rows

    restored = await gql_field_as(client_for, operator, RESTORE, {"id": gone})
    assert restored["errors"] == []
    await replica.sync(client_for, operator)
    assert {kept, gone, later} <= set(replica.rows)
    # Restored, it carries the time of its restoration: what a client compares.
    stored = await StoredDocument.get(raw_id(gone))
    assert stored is not None and replica.rows[gone]["updatedAt"] == _iso(stored.updated_at)


def _iso(moment: Any) -> str:
    """A stored time as the API writes it."""
    return str(storable_time(moment).isoformat())


async def test_every_review_step_and_case_change_comes_as_a_change(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator, coordinator = accounts["operator-31.74"].token, accounts["coordinator-31"].token
    incidents = await _started(client_for, coordinator, INCIDENTS, "REPORT")
    cases = await _started(client_for, coordinator, CASES, "CASE")
    filed = await gql_field_as(client_for, operator, INCIDENT, {"input": incident("31.74")})
    report = filed["report"]
    case = await create_case(client_for, operator)
    await incidents.sync(client_for, coordinator)
    await cases.sync(client_for, coordinator)
    assert incidents.rows[report["id"]]["status"] == "SUBMITTED"
    assert cases.rows[case["id"]]["status"] == "OPEN"

    verify = {"id": report["id"], "input": {"expectedVersion": report["version"], "note": "Sesuai"}}
    assert (await gql_field_as(client_for, coordinator, STEP["reportVerify"], verify))["errors"] == []
    note = {"id": case["id"], "input": {"note": "Logistik dikirim ulang."}}
    assert (await gql_field_as(client_for, operator, FOLLOW_UP, note))["errors"] == []
    await incidents.sync(client_for, coordinator)
    await cases.sync(client_for, coordinator)
    assert incidents.rows[report["id"]]["status"] == "VERIFIED"
    assert cases.rows[case["id"]]["status"] == "IN_PROGRESS"


async def test_tombstones_reach_only_those_who_could_see_the_record(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    since = (await deleted_page(client_for, operator, None, first=0))["syncedUntil"]
    document = await _document(client_for, operator)
    assert (await gql_field_as(client_for, operator, DELETE, {"id": document}))["errors"] == []
    for reader in ("operator-31.74", "coordinator-31", "leader-31", "reviewer", "admin"):
        assert document in await removed_ids(client_for, accounts[reader].token, since), reader
    # Outside the region: never, not even as a count.
    elsewhere = accounts["operator-11.01"].token
    assert document not in await removed_ids(client_for, elsewhere, since)
    # Asked for other kinds only: not there.
    assert document not in await removed_ids(client_for, operator, since, kinds=["REPORT", "CASE"])


async def test_a_moved_record_is_gone_for_readers_of_its_old_region_only(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    """No mutation moves a record yet: the move is made here as a service of its domain would make it (the
    record's region and `updated_at` in one update, then hub.sync.tombstones.record_move)."""
    operator = accounts["operator-31.74"].token
    since = (await deleted_page(client_for, operator, None, first=0))["syncedUntil"]
    document = await _document(client_for, operator)
    old_path, new_path = await region_path("31.74"), await region_path("11.01")
    now = storable_time(utcnow())
    await _moved(document, old_path, new_path, now)
    for reader in ("operator-31.74", "coordinator-31", "leader-31"):
        assert document in await removed_ids(client_for, accounts[reader].token, since), reader
    # Readers of the new region, and national ones, still see it: for them it changed, nothing was removed.
    for reader in ("operator-11.01", "reviewer", "admin"):
        assert document not in await removed_ids(client_for, accounts[reader].token, since), reader
    new_reader = Replica(listing("documents", "id updatedAt"), "DOCUMENT", since=since)
    await new_reader.sync(client_for, accounts["operator-11.01"].token)
    assert document in new_reader.rows
    # Within the province: gone for the regency's operator, still there for the province's coordinator.
    inside = await _document(client_for, operator)
    await _moved(inside, old_path, await region_path("31.71"), now)
    assert inside in await removed_ids(client_for, operator, since)
    assert inside not in await removed_ids(client_for, accounts["coordinator-31"].token, since)
    # Recording the same move again (a retried service) writes nothing.
    await _moved(document, old_path, new_path, now)
    assert await Tombstone.find({"record_id": ObjectId(raw_id(document))}).count() == 1


async def _moved(document: str, old_path: list[str], new_path: list[str], at: datetime) -> None:
    oid = ObjectId(raw_id(document))
    await StoredDocument.get_pymongo_collection().update_one(
        {"_id": oid}, {"$set": {"region_code": new_path[-1], "region_path": new_path, "updated_at": at}}
    )
    await record_move(SyncKind.DOCUMENT, oid, from_path=old_path, to_path=new_path, key="move:1", at=at)


async def _partner(fields: list[str], report_types: list[str] | None = None) -> str:
    created = await create_grant(
        actor="user:admin",
        agency=f"Bawaslu {uuid.uuid4().hex[:6]}",
        region_roots=["31"],
        fields=fields,
        report_types=report_types,
        expires_at=utcnow() + timedelta(days=2),
    )
    return created.token


async def _move_report(report_id: str, to: str) -> None:
    report = await Report.get(raw_id(report_id))
    assert report is not None
    now = storable_time(utcnow())
    new_path = await region_path(to)
    await Report.get_pymongo_collection().update_one(
        {"_id": report.id}, {"$set": {"region_code": to, "region_path": new_path, "updated_at": now}}
    )
    await record_move(
        SyncKind.REPORT,
        report.id,
        from_path=report.region_path,
        to_path=new_path,
        key=f"move:{to}",
        report_type=report.type.value,
        at=now,
    )


async def test_a_partner_syncs_only_the_kinds_and_fields_it_is_granted(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    partner = await _partner(["Report.title", "Report.status", "Report.updatedAt"], ["incident"])
    bare = await _partner(["Report.title"], ["incident"])
    since = (await deleted_page(client_for, partner, None, first=0))["syncedUntil"]
    filed = (await gql_field_as(client_for, operator, INCIDENT, {"input": incident("31.74")}))["report"]
    document = await _document(client_for, operator)
    assert (await gql_field_as(client_for, operator, DELETE, {"id": document}))["errors"] == []

    incidents = Replica(listing("incidents", "id status"), "REPORT", since=since)
    await incidents.sync(client_for, partner)
    assert filed["id"] in incidents.rows
    # The document's removal is no business of a grant that reads no document.
    assert document not in await removed_ids(client_for, partner, since)
    await _move_report(filed["id"], "11.01")  # out of the grant's regions
    assert filed["id"] in await removed_ids(client_for, partner, since)
    # Reading a tombstone is a read of its record, in the grant's read log like every other read.
    logged = await PartnerRead.find({"object_ids": filed["id"]}).to_list()
    assert any("deleted" in read.query for read in logged), [read.query for read in logged]
    await incidents.sync(client_for, partner)
    assert filed["id"] not in incidents.rows

    # Changes since a time tell when each record changed: a grant without `Report.updatedAt` is refused,
    # and a grant reading no document cannot list documents at all.
    variables = {"since": since, "first": 10, "after": None}
    for token, listed in ((bare, "incidents"), (partner, "documents")):
        refused = await refused_code(client_for, token, listing(listed, "id"), variables)
        assert refused == "FIELD_NOT_GRANTED", listed
    # The tombstone of a quarterly report is not shown to a grant of incidents only.
    quarterly_grant = await _partner(["Report.title", "Report.updatedAt"], ["quarterly"])
    assert filed["id"] not in await removed_ids(client_for, quarterly_grant, since)
