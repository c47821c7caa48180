"""Photos and corrections on incidents, as a regency operator on a phone files them: photos uploaded the usual
ways (multipart and presigned), attached at filing and later, their EXIF position placed against the region,
thumbnails without EXIF, corrections before review kept with their history, refused after review; and
hostile files refused with typed errors, leaving nothing behind."""

from __future__ import annotations

import io
import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from bson import ObjectId
from PIL import Image

from hub.access.principal import system_principal
from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.errors import DocumentError
from hub.documents.models import DocumentCategory, StoredDocument
from hub.documents.upload import IncomingFile, upload_document
from hub.reports.models import Report
from tests.conftest import Account
from tests.documents_helpers import leaves_nothing, presigned_upload, snapshot
from tests.graphql import Client, gql_field_as, payload, raw_id, region_id, upload
from tests.photos import ACEH_BESAR, JAKARTA_SELATAN, exif_gps, fake_jpeg, garbled_exif, photo, tiny_mp4
from tests.test_authorization import _NoDispatch
from workers.ingest import ingest_document

ERRORS = "errors { field code message }"
INCIDENT_FIELDS = f"""report {{ id status version title risk: riskLevel
  incident {{ category severity people {{ injured }} }}
  narratives {{ section text }}
  attachments {{ id contentType state downloadUrl
    media {{ takenAt latitude longitude position width height thumbnails {{ size width height url }} }} }}
  corrections {{ at actor {{ username }} fields changes {{ field before after }} }} }}
  {ERRORS} created clientMutationId"""
CREATE = f"mutation($input: IncidentCreateInput!) {{ incidentCreate(input: $input) {{ {INCIDENT_FIELDS} }} }}"
ATTACH = f"""mutation($id: ID!, $input: IncidentAttachmentAddInput!) {{
  incidentAttachmentAdd(id: $id, input: $input) {{ {INCIDENT_FIELDS} }} }}"""
UPDATE = f"""mutation($id: ID!, $input: IncidentUpdateInput!) {{
  incidentUpdate(id: $id, input: $input) {{ {INCIDENT_FIELDS} }} }}"""
VERIFY = f"""mutation($id: ID!) {{ reportVerify(id: $id) {{ report {{ id status }} {ERRORS} }} }}"""


def incident(**overrides: Any) -> dict[str, Any]:
    return {
        "region": region_id("31.74"),
        "category": "DEMONSTRATION",
        "severity": "MEDIUM",
        "occurredAt": (utcnow() - timedelta(hours=1)).isoformat(),
        "chronology": "Unjuk rasa di depan kantor bupati; massa membubarkan diri pukul 15.00.",
        "people": {"participants": 150},
        **overrides,
    }


async def uploaded(
    client_for: Client, token: str, data: bytes, name: str = "foto.jpg", region: str = "31.74"
) -> str:
    async with client_for(token) as http:
        result = payload(await upload(http, region=region, data=data, name=name, category="PHOTO"))
    assert result["errors"] == [], result["errors"]
    document_id: str = result["document"]["id"]
    return document_id


async def processed(clients: Clients, *document_ids: str) -> None:
    """What the ingest worker does with each (run here, in the test, rather than through Celery)."""
    for document_id in document_ids:
        await ingest_document(clients, raw_id(document_id))


async def fetch(url: str) -> bytes:
    async with httpx.AsyncClient(timeout=30) as storage:
        response = await storage.get(url)
    assert response.status_code == 200, response.text
    return response.content


async def test_an_operator_files_photos_adds_one_later_corrects_and_is_refused_after_review(
    clients: Clients, client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    inside = await uploaded(client_for, operator, photo(JAKARTA_SELATAN))
    async with client_for(operator) as http:  # the other upload way: a presigned POST, then a confirmation
        confirmed = await presigned_upload(http, photo(None), name="tanpa-gps.jpg", category="PHOTO")
    assert confirmed["errors"] == []
    no_gps = confirmed["document"]["id"]
    elsewhere = await uploaded(client_for, operator, photo(ACEH_BESAR))
    await processed(clients, inside, no_gps, elsewhere)

    key = f"phone-{uuid.uuid4()}"
    filed = await gql_field_as(
        client_for, operator, CREATE, {"input": incident(attachments=[inside, no_gps], clientMutationId=key)}
    )
    assert filed["errors"] == [] and filed["created"] is True
    report = filed["report"]
    assert [item["id"] for item in report["attachments"]] == [inside, no_gps]
    first, second = report["attachments"]
    assert first["media"]["position"] == "INSIDE"
    assert (first["media"]["latitude"], first["media"]["longitude"]) == JAKARTA_SELATAN
    assert first["media"]["takenAt"].startswith("2026-12-01T10:15:00")
    assert (first["media"]["width"], first["media"]["height"]) == (1200, 1600)  # turned upright
    assert second["media"]["position"] == "NONE"
    retried = await gql_field_as(
        client_for, operator, CREATE, {"input": incident(attachments=[inside, no_gps], clientMutationId=key)}
    )
    assert (retried["created"], retried["report"]["id"]) == (False, report["id"])

    # Later, from the field: one more photo, taken (by its GPS) in another province: flagged.
    added = await gql_field_as(
        client_for, operator, ATTACH, {"id": report["id"], "input": {"documents": [elsewhere]}}
    )
    assert added["errors"] == []
    assert [item["media"]["position"] for item in added["report"]["attachments"]] == [
        "INSIDE",
        "NONE",
        "OUTSIDE",
    ]
    again = await gql_field_as(
        client_for, operator, ATTACH, {"id": report["id"], "input": {"documents": [elsewhere]}}
    )
    assert again["errors"] == [] and again["report"]["version"] == added["report"]["version"]
    assert [entry["fields"] for entry in again["report"]["corrections"]] == [["attachments"]]

    # The thumbnails readers get carry no EXIF position; the original keeps it.
    thumbnails = added["report"]["attachments"][0]["media"]["thumbnails"]
    assert [(item["size"], item["width"], item["height"]) for item in thumbnails] == [
        (320, 240, 320),
        (1280, 960, 1280),
    ]
    for item in thumbnails:
        data = await fetch(item["url"])
        assert exif_gps(data) == {} and len(Image.open(io.BytesIO(data)).getexif()) == 0
    assert exif_gps(await fetch(added["report"]["attachments"][0]["downloadUrl"])) != {}

    # A correction: kept with who, when, before and after; a retry and a no-op record nothing more.
    correction = {
        "severity": "HIGH",
        "people": {"participants": 150, "injured": 3},
        "clientMutationId": f"fix-{key}",
    }
    corrected = await gql_field_as(client_for, operator, UPDATE, {"id": report["id"], "input": correction})
    assert corrected["errors"] == []
    assert corrected["report"]["risk"] == "HIGH" and corrected["report"]["incident"]["people"]["injured"] == 3
    entry = corrected["report"]["corrections"][-1]
    assert entry["actor"]["username"] == "operator-31.74"
    assert entry["fields"] == ["incident.people", "incident.severity", "risk_level"]
    changes = {change["field"]: (change["before"], change["after"]) for change in entry["changes"]}
    assert changes["incident.severity"] == changes["risk_level"] == ('"medium"', '"high"')
    people_before, people_after = (json.loads(side) for side in changes["incident.people"])
    assert (people_before["injured"], people_after["injured"]) == (0, 3)
    for given in (correction, {"severity": "HIGH"}):
        repeated = await gql_field_as(client_for, operator, UPDATE, {"id": report["id"], "input": given})
        assert repeated["errors"] == []
        assert repeated["report"]["version"] == corrected["report"]["version"]
        assert len(repeated["report"]["corrections"]) == 2

    # Nobody else corrects it: not the coordinator above, not another region's operator.
    for who, code in (("coordinator-31", "PERMISSION_DENIED"), ("operator-11.01", "REPORT_NOT_FOUND")):
        refused = await gql_field_as(
            client_for, accounts[who].token, UPDATE, {"id": report["id"], "input": {"title": "x"}}
        )
        assert [error["code"] for error in refused["errors"]] == [code]

    # Reviewed: the author can no longer correct it nor attach to it.
    verified = await gql_field_as(client_for, accounts["coordinator-31"].token, VERIFY, {"id": report["id"]})
    assert verified["errors"] == [] and verified["report"]["status"] == "VERIFIED"
    late = await uploaded(client_for, operator, photo(JAKARTA_SELATAN))
    refusals = [
        await gql_field_as(client_for, operator, UPDATE, {"id": report["id"], "input": {"severity": "LOW"}}),
        await gql_field_as(
            client_for, operator, ATTACH, {"id": report["id"], "input": {"documents": [late]}}
        ),
    ]
    assert [[error["code"] for error in refused["errors"]] for refused in refusals] == [
        ["ALREADY_REVIEWED"]
    ] * 2
    stored = await Report.get(raw_id(report["id"]))
    assert stored is not None and stored.risk_level is not None and stored.risk_level.value == "high"
    assert len(stored.attachments) == 3
    assert (await StoredDocument.get(raw_id(late))).incident_id is None  # type: ignore[union-attr]
    audited = await AuditEntry.find({"target": f"Report:{raw_id(report['id'])}"}).sort("seq").to_list()
    assert [(entry.actor, entry.action) for entry in audited if entry.action.startswith("incident.")] == [
        ("user:operator-31.74", "incident.create"),
        ("user:operator-31.74", "incident.attach"),
        ("user:operator-31.74", "incident.update"),
    ]


async def test_attachments_that_are_not_the_authors_to_give_change_nothing(
    clients: Clients, client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    own = await uploaded(client_for, operator, photo())
    other_region = await uploaded(
        client_for, accounts["operator-11.01"].token, photo(ACEH_BESAR), region="11.01"
    )
    unreadable = await uploaded(client_for, operator, fake_jpeg())
    await processed(clients, own, other_region, unreadable)
    taken = await gql_field_as(client_for, operator, CREATE, {"input": incident(attachments=[own])})
    assert taken["errors"] == []
    cases = [
        ([other_region], "ATTACHMENT_NOT_FOUND"),
        ([taken["report"]["id"]], "ATTACHMENT_NOT_FOUND"),  # a report's id, not a document's
        ([unreadable], "ATTACHMENT_REJECTED"),
        ([own], "ATTACHMENT_TAKEN"),
    ]
    for attachments, code in cases:
        key = f"refused-{uuid.uuid4()}"
        refused = await gql_field_as(
            client_for, operator, CREATE, {"input": incident(attachments=attachments, clientMutationId=key)}
        )
        assert [(error["code"], error["field"]) for error in refused["errors"]] == [(code, "attachments")]
        assert await Report.find({"client_mutation_id": key}).count() == 0
    ids = [ObjectId(raw_id(value)) for value in (own, other_region, unreadable)]
    linked = await StoredDocument.find({"_id": {"$in": ids}, "incident_id": {"$ne": None}}).to_list()
    assert [str(document.id) for document in linked] == [raw_id(own)]


async def test_hostile_files_get_typed_errors_and_leave_nothing_behind(
    clients: Clients, client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    async with client_for(operator) as http:
        async with leaves_nothing(clients):  # an executable named like a photo
            refused = payload(
                await upload(
                    http, region="31.74", data=b"MZ\x90\x00" + bytes(600), name="foto.jpg", category="PHOTO"
                )
            )
        assert [error["code"] for error in refused["errors"]] == ["UNSUPPORTED_TYPE"]
        video = payload(
            await upload(http, region="31.74", data=tiny_mp4(), name="klip.mp4", category="PHOTO")
        )
    assert video["errors"] == [] and video["document"]["contentType"] == "video/mp4"

    # A video over its own cap, smaller than the general one: refused as it streams, nothing kept.
    before = await snapshot(clients)
    data = tiny_mp4(5000)
    with pytest.raises(DocumentError) as refusal:
        await upload_document(
            store=clients.store,
            dispatcher=_NoDispatch(),
            max_bytes=clients.settings.max_upload_bytes,
            max_video_bytes=4096,
            region_code="31.74",
            category=DocumentCategory.PHOTO,
            file=IncomingFile(name="panjang.mp4", stream=io.BytesIO(data), size=len(data)),
            principal=system_principal("tests"),
        )
    assert refusal.value.code == "FILE_TOO_LARGE"
    assert await snapshot(clients) == before

    # Bytes that only begin like a JPEG: rejected by the worker with a reason, no derivative written.
    fake = await uploaded(client_for, operator, fake_jpeg())
    keys_before = set((await snapshot(clients))[2])
    await processed(clients, fake)
    document = await StoredDocument.get(raw_id(fake))
    assert document is not None and document.state.value == "rejected" and document.media is None
    assert "cannot be" in (document.rejection_reason or "")
    assert set((await snapshot(clients))[2]) == keys_before

    # Garbage in the EXIF block: the time and position are ignored (UNREADABLE); the pixels still make
    # thumbnails, without EXIF.
    garbled = await uploaded(client_for, operator, garbled_exif())
    await processed(clients, garbled)
    filed = await gql_field_as(client_for, operator, CREATE, {"input": incident(attachments=[garbled])})
    media = filed["report"]["attachments"][0]["media"]
    assert (media["position"], media["latitude"], media["takenAt"]) == ("UNREADABLE", None, None)
    assert [item["size"] for item in media["thumbnails"]] == [320, 1280]
    assert exif_gps(await fetch(media["thumbnails"][0]["url"])) == {}
