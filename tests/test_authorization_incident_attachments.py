"""The authorization matrix for incident attachments and corrections: every role, partner grants (valid,
expired, revoked) and no token, against `Report.attachments`, `Report.corrections`, attached documents as
nodes (original and thumbnail links), `incidentUpdate` and `incidentAttachmentAdd`, on an incident inside
(31.74) and outside (11.01) each scope. A partner grant never reads attachments, even one listing every
field involved; only the incident's author changes it."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from hub.access.grants import create_grant, revoke_grant
from hub.access.models import PartnerGrant
from hub.access.principal import system_principal
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory
from hub.documents.upload import IncomingFile, upload_document
from hub.reports.models import IncidentCategory, IncidentDetails, Report, RiskLevel
from hub.reports.services import Content, create_incident
from hub.settings import Settings
from search.indexer import index_marked
from search.kinds import DOCUMENT_KIND
from tests.conftest import Account
from tests.graphql import Client, error_code, global_id, post_as, raw_id
from tests.photos import JAKARTA_SELATAN, photo
from tests.test_authorization import _NoDispatch
from tests.test_authorization_records import ALL, PARTNER, REFUSED_AUTH, _author
from workers.ingest import ingest_document

SEES_INSIDE = {"admin", "reviewer", "leader-31", "coordinator-31", "operator-31.74"}
SEES_OUTSIDE = {"admin", "reviewer", "operator-11.01"}
# Everything a grant could list to read attachments: it still reads none.
GRANT_FIELDS = [
    "Report.title",
    "Report.attachments",
    "Report.corrections",
    "Document.fileName",
    "Document.downloadUrl",
    "Document.media",
]


@dataclass(frozen=True)
class Incidents:
    tokens: dict[str, str | None]
    incidents: tuple[str, str]  # inside (31.74), outside (11.01)
    photos: tuple[str, str]


async def _incident(
    clients: Clients, settings: Settings, accounts: dict[str, Account], region: str
) -> tuple[str, str]:
    data = photo(JAKARTA_SELATAN)
    uploaded = await upload_document(
        store=clients.store,
        dispatcher=_NoDispatch(),
        max_bytes=settings.max_upload_bytes,
        region_code=region,
        category=DocumentCategory.PHOTO,
        file=IncomingFile(name="foto.jpg", stream=io.BytesIO(data), size=len(data)),
        principal=system_principal("tests"),
    )
    document_id = str(uploaded.document.id)
    await ingest_document(clients, document_id)
    filed = await create_incident(
        settings,
        _author(accounts, f"operator-{region}"),
        region_code=region,
        incident=IncidentDetails(
            category=IncidentCategory.DEMONSTRATION,
            severity=RiskLevel.MEDIUM,
            occurred_at=utcnow() - timedelta(hours=1),
        ),
        content=Content(
            title=f"Unjuk rasa {uuid.uuid4().hex[:6]}", narratives={"chronology": "Massa berkumpul."}
        ),
        attachments=[document_id],
    )
    return global_id("Report", filed.report.id), global_id("Document", document_id)


@pytest.fixture(scope="module")
async def incidents(clients: Clients, settings: Settings, accounts: dict[str, Account]) -> Incidents:
    inside = await _incident(clients, settings, accounts, "31.74")
    outside = await _incident(clients, settings, accounts, "11.01")
    grants = [
        await create_grant(
            actor="user:admin",
            agency=agency,
            region_roots=["31"],
            fields=GRANT_FIELDS,
            expires_at=utcnow() + timedelta(days=30),
        )
        for agency in ("KPU", "Bawaslu", "DKPP")
    ]
    partner, expired, revoked = grants
    await PartnerGrant.get_pymongo_collection().update_one(
        {"_id": expired.grant.id}, {"$set": {"expires_at": utcnow() - timedelta(minutes=1)}}
    )
    await revoke_grant(str(revoked.grant.id))
    tokens: dict[str, str | None] = {name: account.token for name, account in accounts.items()}
    tokens |= {
        "partner-31": partner.token,
        "partner-expired": expired.token,
        "partner-revoked": revoked.token,
        "no-token": None,
        "garbage-token": "not-a-token",
    }
    return Incidents(tokens, (inside[0], outside[0]), (inside[1], outside[1]))


PRINCIPALS = ALL
READ = """query($ids: [ID!]!) { nodes(ids: $ids) { id
  ... on Report { attachments { id downloadUrl media { thumbnails { url } } } corrections { fields } }
  ... on Document { downloadUrl media { thumbnails { url } } } } }"""


@pytest.mark.parametrize("who", PRINCIPALS)
async def test_attachments_and_originals_are_read_only_in_scope_and_never_by_partners(
    who: str, incidents: Incidents, client_for: Client
) -> None:
    ids = [*incidents.incidents, *incidents.photos]
    body = await post_as(client_for, incidents.tokens[who], READ, {"ids": ids})
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    assert "errors" not in body, body
    reports, documents = body["data"]["nodes"][:2], body["data"]["nodes"][2:]
    if who in PARTNER:  # the incident, yes (its region is granted); its attachments, never
        assert reports[0] is not None and reports[0]["attachments"] == [] and reports[1] is None
        assert documents == [None, None]
        return
    for index, sees in enumerate((who in SEES_INSIDE, who in SEES_OUTSIDE)):
        if not sees:
            assert reports[index] is None and documents[index] is None
            continue
        attached = reports[index]["attachments"]
        assert [item["id"] for item in attached] == [incidents.photos[index]]
        assert attached[0]["downloadUrl"] and attached[0]["media"]["thumbnails"]
        assert documents[index]["downloadUrl"] and documents[index]["media"]["thumbnails"]


CHANGES = {
    "incidentUpdate": """mutation($id: ID!) {
      incidentUpdate(id: $id, input: {chronology: "Massa berkumpul."}) { report { id } errors { code } } }""",
    "incidentAttachmentAdd": """mutation($id: ID!, $documents: [ID!]!) {
      incidentAttachmentAdd(id: $id, input: {documents: $documents}) { report { id } errors { code } } }""",
}


@pytest.mark.parametrize("mutation", sorted(CHANGES))
@pytest.mark.parametrize("who", PRINCIPALS)
async def test_only_the_author_changes_an_incident(
    who: str, mutation: str, incidents: Incidents, client_for: Client
) -> None:
    """Sent unchanged values, so the author's answer is the incident as it is; a refusal changes nothing."""
    raw = raw_id(incidents.incidents[0])
    before = (await Report.get(raw)).model_dump(mode="json", exclude={"needs_index"})  # type: ignore[union-attr]
    variables: dict[str, Any] = {"id": incidents.incidents[0]}
    if mutation == "incidentAttachmentAdd":
        variables["documents"] = [incidents.photos[0]]
    body = await post_as(client_for, incidents.tokens[who], CHANGES[mutation], variables)
    after = (await Report.get(raw)).model_dump(mode="json", exclude={"needs_index"})  # type: ignore[union-attr]
    assert after == before
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
    elif who in PARTNER:
        assert error_code(body) == "PERMISSION_DENIED"
    else:
        codes = [error["code"] for error in body["data"][mutation]["errors"]]
        expected = {"operator-31.74": [], "operator-11.01": ["REPORT_NOT_FOUND"]}
        assert codes == expected.get(who, ["PERMISSION_DENIED"])


SEARCH_PHOTOS = """{ search(query: "foto", filter: {kinds: [DOCUMENT]}, first: 10) {
  totalCount facets { kinds { kind count } } nodes { node { ... on Document { id } } } } }"""


async def test_a_partners_search_does_not_count_attached_documents(
    clients: Clients, incidents: Incidents, client_for: Client
) -> None:
    """Not as hits, nor in the total or the facets (which would tell a grant that photos exist): the index
    entry of an attached document says so, and a grant's searches leave it out."""
    await index_marked(clients.es, clients.settings.es_index_prefix, DOCUMENT_KIND)
    await clients.es.indices.refresh(index=DOCUMENT_KIND.alias(clients.settings.es_index_prefix))
    staff = await post_as(client_for, incidents.tokens["admin"], SEARCH_PHOTOS, {})
    found = {hit["node"]["id"] for hit in staff["data"]["search"]["nodes"]}
    assert set(incidents.photos) <= found  # the admin finds both photos: the query reaches them
    body = await post_as(client_for, incidents.tokens["partner-31"], SEARCH_PHOTOS, {})
    assert "errors" not in body, body
    result = body["data"]["search"]
    assert result["nodes"] == [] and result["totalCount"] == 0, result
    assert all(bucket["count"] == 0 for bucket in result["facets"]["kinds"]), result
