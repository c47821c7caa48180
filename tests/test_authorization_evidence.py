"""The authorization matrix for documents as records and for evidence: documentUpdate, evidenceReview, the
evidence listing and a document's extracted text and OCR confidence, for every role, partner grants (valid,
expired, revoked) and no token, on regions inside (31.74) and outside (11.01) each scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from hub.reports.models import Period
from hub.reports.services import Content, create_quarterly
from hub.settings import Settings
from tests.conftest import Account
from tests.graphql import error_code, global_id, post_as, raw_id
from tests.test_authorization import (
    ALL_PRINCIPALS,
    PARTNER,
    REFUSED_AUTH,
    SEES_INSIDE,
    SEES_OUTSIDE,
    UPLOAD_ALLOWED_INSIDE,
    World,
    world,  # noqa: F401  (the fixture: documents in 31.74 and 11.01, tokens of every principal)
)
from tests.test_authorization_records import _author
from tests.test_evidence import REVIEW

UPDATE = """mutation($id: ID!) { documentUpdate(id: $id, record: {title: "Judul"}) {
  document { id title } errors { code } } }"""
LIST = """query($region: RegionCode!) { evidence(filter: {region: $region}) { totalCount nodes { id } } }"""
TEXT = """query($id: ID!) { node(id: $id) { ... on Document { id extractedText } } }"""
CONFIDENCE = """query($id: ID!) { node(id: $id) { ... on Document { id ocrConfidence } } }"""
UPDATE_ALLOWED_OUTSIDE = {"admin", "reviewer", "operator-11.01"}
REVIEWS_INSIDE = {"admin", "reviewer", "coordinator-31"}
REVIEWS_OUTSIDE = {"admin", "reviewer"}


@dataclass(frozen=True)
class Pieces:
    inside: str
    outside: str


@pytest.fixture(scope="module")
async def pieces(world: World, settings: Settings, accounts: dict[str, Account]) -> Pieces:  # noqa: F811
    """A report of each region citing the region's document as its team decree's evidence: one piece each."""
    from hub.evidence.models import EvidencePiece

    found = []
    for region, author, document in (
        ("31.74", "operator-31.74", world.inside),
        ("11.01", "operator-11.01", world.outside),
    ):
        created = await create_quarterly(
            settings,
            _author(accounts, author),
            region_code=region,
            period=Period(year=2000, quarter=2),
            content=Content(evidence={"team_decree_in_place": [raw_id(document)]}),
        )
        piece = await EvidencePiece.find_one({"report_id": created.report.id})
        assert piece is not None
        found.append(global_id("Evidence", piece.id))
    return Pieces(inside=found[0], outside=found[1])


def _refused(who: str, body: dict[str, object]) -> bool:
    """Asserts the refusal of a principal that may not even ask; whether it was one."""
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return True
    if who in PARTNER:
        assert error_code(body) == "PERMISSION_DENIED"
        return True
    return False


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
@pytest.mark.parametrize("where", ["inside", "outside"])
async def test_document_update(
    who: str,
    where: str,
    world: World,  # noqa: F811
    client_for: Callable[[str | None], httpx.AsyncClient],
) -> None:
    document = world.inside if where == "inside" else world.outside
    body = await post_as(client_for, world.tokens[who], UPDATE, {"id": document})
    if _refused(who, body):
        return
    result = body["data"]["documentUpdate"]  # type: ignore[index]
    allowed = UPLOAD_ALLOWED_INSIDE if where == "inside" else UPDATE_ALLOWED_OUTSIDE
    sees = SEES_INSIDE if where == "inside" else SEES_OUTSIDE
    if who in allowed:
        assert result["errors"] == [] and result["document"]["title"] == "Judul"
    else:
        wanted = "PERMISSION_DENIED" if who in sees else "DOCUMENT_NOT_FOUND"
        assert [error["code"] for error in result["errors"]] == [wanted]


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
@pytest.mark.parametrize("where", ["inside", "outside"])
async def test_evidence_review(
    who: str,
    where: str,
    world: World,  # noqa: F811
    pieces: Pieces,
    client_for: Callable[[str | None], httpx.AsyncClient],
) -> None:
    piece = pieces.inside if where == "inside" else pieces.outside
    given = {"id": piece, "input": {"decision": "CONFIRM", "reason": f"oleh {who}"}}
    body = await post_as(client_for, world.tokens[who], REVIEW, given)
    if _refused(who, body):
        return
    result = body["data"]["evidenceReview"]  # type: ignore[index]
    allowed = REVIEWS_INSIDE if where == "inside" else REVIEWS_OUTSIDE
    sees = SEES_INSIDE if where == "inside" else SEES_OUTSIDE
    if who in allowed:
        assert result["errors"] == []
        assert (result["evidence"]["review"], result["evidence"]["reviewReason"]) == (
            "CONFIRMED",
            f"oleh {who}",
        )
    else:
        wanted = "PERMISSION_DENIED" if who in sees else "EVIDENCE_NOT_FOUND"
        assert [error["code"] for error in result["errors"]] == [wanted]


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_evidence_listing_and_extracted_text_are_scoped(
    who: str,
    world: World,  # noqa: F811
    pieces: Pieces,
    client_for: Callable[[str | None], httpx.AsyncClient],
) -> None:
    token = world.tokens[who]
    for where, document, sees in (
        ("31.74", world.inside, SEES_INSIDE),
        ("11.01", world.outside, SEES_OUTSIDE),
    ):
        text = await post_as(client_for, token, TEXT, {"id": document})
        if who in REFUSED_AUTH:
            assert error_code(text) == REFUSED_AUTH[who]
            continue
        # The grant lists `Document.text`, the name extracted text was granted by before it was a field.
        node = text["data"]["node"]  # type: ignore[index]
        assert (node is not None and "Laporan" in node["extractedText"]) == (who in sees), (who, where)
        listed = await post_as(client_for, token, LIST, {"region": where})
        if who in PARTNER:
            assert error_code(listed) == "FIELD_NOT_GRANTED"  # the grant lists no Evidence field
        else:
            count = listed["data"]["evidence"]["totalCount"]  # type: ignore[index]
            assert (count >= 1) == (who in sees), (who, where)
    if who in PARTNER:
        refused = await post_as(client_for, token, CONFIDENCE, {"id": world.inside})
        assert refused.get("data") is None and "Document.ocrConfidence" in str(refused["errors"])
