"""Verified evidence, through the API as its users drive it: an operator attaches an NPHD scan or PDF to a
report and the worker checks its text (the passage found is recorded); a wrong category or a missing phrase
fails with its reason; a reviewer confirms or rejects each piece with a reason; reviewers out of scope,
readers and partners are refused; and completeness counts delivered / checked / confirmed, by hand, at
regency, province and national level."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest

from hub.access.grants import create_grant
from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.audit.models import AuditEntry
from hub.completeness.models import RequirementKind
from hub.completeness.services import create_requirement
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory
from hub.regions.models import RegionLevel
from hub.reports.models import ReportType
from hub.settings import Settings
from tests.conftest import TEST_PASSWORD, Account
from tests.files import image_bytes, pdf_with_text, scanned_page
from tests.graphql import Client, gql_as, post_as, raw_id
from tests.reports_helpers import COMPLETE_VALUES, NARRATIVES, STEP, UPDATE, content, create_report
from tests.test_documents_records import UPDATE as DOCUMENT_UPDATE
from tests.test_documents_records import upload_record
from tests.test_reports import fresh_period

pytestmark = pytest.mark.usefixtures("worker")

EVIDENCE = """id check checkReason passage review reviewReason indicatorCode period
  rule { category phrases numberPattern } reviewer { username } requirement { id } report { id }"""
OF_DOCUMENT = (
    f"""query($id: ID!) {{ node(id: $id) {{ ... on Document {{ id evidence {{ {EVIDENCE} }} }} }} }}"""
)
REVIEW = f"""mutation($id: ID!, $input: EvidenceReviewInput!) {{ evidenceReview(id: $id, input: $input) {{
  evidence {{ {EVIDENCE} }} errors {{ field code message }} }} }}"""
NPHD_TEXT = ("NASKAH PERJANJIAN HIBAH DAERAH", "antara Pemerintah Kota dan KPU Kota")
ACEH_REGENCIES_AND_CITIES = 23


async def upload(
    client_for: Client, token: str, data: bytes, region: str, category: str, name: str, period: str | None
) -> str:
    async with client_for(token) as http:
        made = await upload_record(
            http,
            data,
            region=region,
            category=category,
            name=name,
            record={"period": period} if period else None,
        )
    assert made["errors"] == [], made["errors"]
    document_id: str = made["document"]["id"]
    return document_id


def nphd_pdf(*lines: str) -> bytes:
    return pdf_with_text(*lines, f"Nomor 900/{uuid.uuid4().hex[:6]}/2026")


async def checked(client_for: Client, token: str, document: str, count: int = 1) -> list[dict[str, Any]]:
    """The document's evidence once the worker has checked every piece (and there are `count` of them)."""
    deadline = time.monotonic() + 90
    pieces: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        pieces = (await gql_as(client_for, token, OF_DOCUMENT, {"id": document}))["node"]["evidence"]
        if len(pieces) >= count and all(piece["check"] != "PENDING" for piece in pieces):
            return pieces
        await asyncio.sleep(0.3)
    raise AssertionError(f"the evidence of {document} stayed {pieces}")


async def cite(
    client_for: Client, token: str, region: str, period: tuple[int, int], nphd: list[str], submit: bool = True
) -> dict[str, Any]:
    """A quarterly report of the region citing these documents as its NPHD's evidence, submitted."""
    values = {**COMPLETE_VALUES, "nphd_signed": bool(nphd)}
    given = content(values, NARRATIVES, {"nphd_signed": nphd} if nphd else None)
    report = await create_report(client_for, token, region, *period, given)
    if submit:
        done = await gql_as(client_for, token, STEP["reportSubmit"], {"id": report["id"], "input": {}})
        assert done["reportSubmit"]["errors"] == [], done
    return report


async def review(
    client_for: Client, token: str, piece: str, decision: str, reason: str | None
) -> dict[str, Any]:
    given = {"decision": decision, **({"reason": reason} if reason is not None else {})}
    result: dict[str, Any] = (await gql_as(client_for, token, REVIEW, {"id": piece, "input": given}))[
        "evidenceReview"
    ]
    return result


async def test_a_scanned_nphd_is_checked_with_its_passage_and_confirmed_by_the_reviewer(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    period = fresh_period()
    scan = image_bytes(scanned_page(*NPHD_TEXT, f"Kode {uuid.uuid4().hex[:6].upper()}"))
    document = await upload(client_for, operator, scan, "31.74", "NPHD", "nphd.png", None)
    report = await cite(client_for, operator, "31.74", period, [document])

    (piece,) = await checked(client_for, operator, document)
    assert piece["check"] == "PASSED", piece
    assert piece["report"]["id"] == report["id"] and piece["indicatorCode"] == "nphd_signed"
    assert piece["rule"] == {"category": "NPHD", "phrases": ["perjanjian hibah"], "numberPattern": None}
    assert "PERJANJIAN HIBAH" in piece["passage"].upper()
    assert piece["review"] == "UNREVIEWED"

    # The province's coordinator reviews its cities' evidence.
    confirmed = await review(client_for, accounts["coordinator-31"].token, piece["id"], "CONFIRM", "Sesuai")
    assert confirmed["errors"] == []
    assert confirmed["evidence"]["review"] == "CONFIRMED"
    assert confirmed["evidence"]["reviewer"] == {"username": "coordinator-31"}
    entries = await AuditEntry.find({"target": f"Evidence:{raw_id(piece['id'])}"}).to_list()
    assert [(entry.action, entry.change["before"], entry.change["after"]) for entry in entries] == [
        (
            "evidence.review",
            {"review": "unreviewed", "reason": None},
            {"review": "confirmed", "reason": "Sesuai"},
        )
    ]


async def test_a_decree_number_is_found_by_its_pattern(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    period = fresh_period()
    number = f"188.45/{uuid.uuid4().hex[:5]}/2026"
    decree = pdf_with_text(
        "KEPUTUSAN WALI KOTA", "tentang Tim Pemantauan Perkembangan Politik", f"Nomor {number}"
    )
    document = await upload(client_for, operator, decree, "31.74", "DECREE", "sk.pdf", None)
    values = {**COMPLETE_VALUES, "team_decree_in_place": True}
    await create_report(
        client_for,
        operator,
        "31.74",
        *period,
        content(values, NARRATIVES, {"team_decree_in_place": [document]}),
    )
    (piece,) = await checked(client_for, operator, document)
    assert (piece["check"], piece["checkReason"]) == ("PASSED", f"found {number!r}")
    assert number in piece["passage"]


async def test_wrong_category_missing_phrase_and_trashed_files_are_no_evidence(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    period = fresh_period()
    photo = await upload(client_for, operator, nphd_pdf(*NPHD_TEXT), "31.74", "PHOTO", "foto.pdf", None)
    other = await upload(
        client_for, operator, nphd_pdf("Surat undangan rapat"), "31.74", "NPHD", "n.pdf", None
    )
    good = await upload(client_for, operator, nphd_pdf(*NPHD_TEXT), "31.74", "NPHD", "g.pdf", None)
    report = await cite(client_for, operator, "31.74", period, [photo, other, good], submit=False)

    reasons = {
        document: (await checked(client_for, operator, document))[0] for document in (photo, other, good)
    }
    assert (reasons[photo]["check"], reasons[photo]["checkReason"]) == (
        "FAILED",
        "a nphd document is expected; this one is photo",
    )
    assert (reasons[other]["check"], reasons[other]["checkReason"]) == (
        "FAILED",
        "the phrase 'perjanjian hibah' is not in the document's text",
    )
    assert reasons[good]["check"] == "PASSED"

    # Its category changed afterwards: checked again, and it fails, saying why.
    changed = await gql_as(client_for, operator, DOCUMENT_UPDATE, {"id": good, "category": "MINUTES"})
    assert changed["documentUpdate"]["errors"] == []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        (piece,) = (await gql_as(client_for, operator, OF_DOCUMENT, {"id": good}))["node"]["evidence"]
        if piece["check"] == "FAILED":
            break
        await asyncio.sleep(0.3)
    assert piece["checkReason"] == "a nphd document is expected; this one is minutes"

    # A document in the trash cannot be cited (it used to pass for being of the region).
    trashed = await upload(client_for, operator, nphd_pdf(*NPHD_TEXT), "31.74", "NPHD", "t.pdf", None)
    deleted = await gql_as(
        client_for,
        operator,
        "mutation($id: ID!) { documentDelete(id: $id) { errors { code } } }",
        {"id": trashed},
    )
    assert deleted["documentDelete"]["errors"] == []
    refused = await gql_as(
        client_for,
        operator,
        UPDATE,
        {"id": report["id"], "input": {"content": content(evidence={"nphd_signed": [trashed]})}},
    )
    assert [(error["field"], error["code"]) for error in refused["reportUpdate"]["errors"]] == [
        ("evidence.nphd_signed", "EVIDENCE_UNUSABLE")
    ]


async def test_who_may_review_evidence(client_for: Client, accounts: dict[str, Account]) -> None:
    operator = accounts["operator-31.74"].token
    period = fresh_period()
    document = await upload(client_for, operator, nphd_pdf(*NPHD_TEXT), "31.74", "NPHD", "n.pdf", None)
    await cite(client_for, operator, "31.74", period, [document], submit=False)
    (piece,) = await checked(client_for, operator, document)

    assert [
        error["code"]
        for error in (
            await review(client_for, accounts["operator-11.01"].token, piece["id"], "CONFIRM", None)
        )["errors"]
    ] == ["EVIDENCE_NOT_FOUND"]  # out of scope
    for reader in ("operator-31.74", "leader-31"):
        answer = await review(client_for, accounts[reader].token, piece["id"], "CONFIRM", None)
        assert [error["code"] for error in answer["errors"]] == ["PERMISSION_DENIED"], reader
    coordinator = accounts["coordinator-31"].token
    no_reason = await review(client_for, coordinator, piece["id"], "REJECT", "  ")
    assert [(error["field"], error["code"]) for error in no_reason["errors"]] == [
        ("reason", "REASON_REQUIRED")
    ]
    rejected = await review(client_for, coordinator, piece["id"], "REJECT", "Belum ditandatangani")
    assert (rejected["evidence"]["review"], rejected["evidence"]["reviewReason"]) == (
        "REJECTED",
        "Belum ditandatangani",
    )

    # Partners: no mutation at all, and the evidence only with its fields granted.
    grant = await create_grant(
        actor="user:admin",
        agency="Bawaslu",
        region_roots=["31"],
        fields=["Document.fileName"],
        expires_at=utcnow() + timedelta(days=1),
    )
    body = await post_as(
        client_for, grant.token, REVIEW, {"id": piece["id"], "input": {"decision": "CONFIRM"}}
    )
    assert body.get("data") is None and body["errors"]
    read = await post_as(client_for, grant.token, OF_DOCUMENT, {"id": document})
    assert read.get("data") is None and "Document.evidence" in str(read["errors"])
    reviewed = await gql_as(client_for, accounts["reviewer"].token, OF_DOCUMENT, {"id": document})
    assert reviewed["node"]["evidence"][0]["review"] == "REJECTED"


async def _operator(settings: Settings, region: str) -> str:
    name = f"operator-{region}-{uuid.uuid4().hex[:6]}"
    await create_user(username=name, password=TEST_PASSWORD, role=Role.OPERATOR, region_code=region)
    return (await login(settings, name, TEST_PASSWORD)).access_token


FIGURES = "expected delivered evidenceChecked evidenceConfirmed evidenceCheckedRate evidenceConfirmedRate"
COMPLETENESS = f"""query($periods: [String!]!, $region: RegionCode!) {{
  completeness(periods: $periods, region: $region) {{
  total {{ {FIGURES} }} rows {{ region {{ code }} figures {{ {FIGURES} }} }} }} }}"""


def figures(expected: int, delivered: int, checked: int, confirmed: int) -> dict[str, Any]:
    return {
        "expected": expected,
        "delivered": delivered,
        "evidenceChecked": checked,
        "evidenceConfirmed": confirmed,
        "evidenceCheckedRate": pytest.approx(checked / expected),
        "evidenceConfirmedRate": pytest.approx(confirmed / expected),
    }


async def test_completeness_counts_delivered_checked_and_confirmed_evidence_by_hand(
    client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    """One period requires of every regency and city a quarterly report and an NPHD (whose text says
    "perjanjian hibah"). The seeded states, by region (R = report, N = NPHD requirement):

    | region | R delivered | R checked | R confirmed | N delivered | N checked | N confirmed |
    | 31.74  | yes (cites a good NPHD)  | yes | yes (confirmed) | yes (the same NPHD) | yes | no |
    | 31.71  | yes (cites an NPHD without the phrase) | no | yes (confirmed anyway) | yes (it) | no | no |
    | 31.72  | no                       | -   | -   | yes (a good NPHD, rejected) | no | no |
    | 11.01  | yes (cites nothing)      | no  | no  | yes (a good NPHD, confirmed) | yes | yes |
    """
    year, quarter = fresh_period()
    period = f"{year}-Q{quarter}"
    regencies = [RegionLevel.REGENCY, RegionLevel.CITY]
    due = utcnow() + timedelta(days=365)
    await create_requirement(
        actor="user:admin",
        period_key=period,
        kind=RequirementKind.REPORT,
        levels=regencies,
        due_at=due,
        title="Laporan triwulan",
        report_type=ReportType.QUARTERLY,
    )
    await create_requirement(
        actor="user:admin",
        period_key=period,
        kind=RequirementKind.DOCUMENT,
        levels=regencies,
        due_at=due,
        title="NPHD",
        document_category=DocumentCategory.NPHD,
        evidence_phrases=["perjanjian hibah"],
    )
    jaksel, jakpus, aceh = (
        accounts["operator-31.74"].token,
        await _operator(settings, "31.71"),
        accounts["operator-11.01"].token,
    )
    admin, coordinator, reviewer = (
        accounts["admin"].token,
        accounts["coordinator-31"].token,
        accounts["reviewer"].token,
    )

    good_74 = await upload(client_for, jaksel, nphd_pdf(*NPHD_TEXT), "31.74", "NPHD", "a.pdf", period)
    await cite(client_for, jaksel, "31.74", (year, quarter), [good_74])
    bad_71 = await upload(client_for, jakpus, nphd_pdf("Surat biasa"), "31.71", "NPHD", "b.pdf", period)
    await cite(client_for, jakpus, "31.71", (year, quarter), [bad_71])
    good_72 = await upload(client_for, admin, nphd_pdf(*NPHD_TEXT), "31.72", "NPHD", "c.pdf", period)
    await cite(client_for, aceh, "11.01", (year, quarter), [])
    good_11 = await upload(client_for, aceh, nphd_pdf(*NPHD_TEXT), "11.01", "NPHD", "d.pdf", period)

    pieces = {
        document: {
            ("report" if piece["report"] else "requirement"): piece
            for piece in await checked(client_for, admin, document, count)
        }
        for document, count in ((good_74, 2), (bad_71, 2), (good_72, 1), (good_11, 1))
    }
    assert pieces[good_74]["report"]["check"] == pieces[good_74]["requirement"]["check"] == "PASSED"
    assert pieces[bad_71]["report"]["check"] == pieces[bad_71]["requirement"]["check"] == "FAILED"
    for token, piece, decision, reason in (
        (coordinator, pieces[good_74]["report"], "CONFIRM", None),
        (coordinator, pieces[bad_71]["report"], "CONFIRM", "Dokumen asli sudah diperiksa"),
        (coordinator, pieces[good_72]["requirement"], "REJECT", "Bukan NPHD tahun ini"),
        (reviewer, pieces[good_11]["requirement"], "CONFIRM", None),
    ):
        assert (await review(client_for, token, piece["id"], decision, reason))["errors"] == []

    async def completeness(region: str) -> dict[str, Any]:
        found: dict[str, Any] = (
            await gql_as(client_for, reviewer, COMPLETENESS, {"periods": [period], "region": region})
        )["completeness"]
        return found

    regency = await completeness("31.74")
    assert regency["total"] == figures(expected=2, delivered=2, checked=2, confirmed=1)

    province = await completeness("31")
    rows = {row["region"]["code"]: row["figures"] for row in province["rows"]}
    assert rows["31.74"] == figures(expected=2, delivered=2, checked=2, confirmed=1)
    assert rows["31.71"] == figures(expected=2, delivered=2, checked=0, confirmed=1)
    assert rows["31.72"] == figures(expected=2, delivered=1, checked=0, confirmed=0)
    assert rows["31.73"] == figures(expected=2, delivered=0, checked=0, confirmed=0)
    # DKI Jakarta: 6 regencies and cities, 2 requirements each.
    assert province["total"] == figures(expected=12, delivered=5, checked=2, confirmed=2)

    national = await completeness("ID")
    rows = {row["region"]["code"]: row["figures"] for row in national["rows"]}
    assert rows["31"] == figures(expected=12, delivered=5, checked=2, confirmed=2)
    assert rows["11"] == figures(expected=ACEH_REGENCIES_AND_CITIES * 2, delivered=2, checked=1, confirmed=1)
    # 514 regencies and cities, 2 requirements each.
    assert national["total"] == figures(expected=1028, delivered=7, checked=3, confirmed=3)
