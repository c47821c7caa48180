"""A small set of Indonesian reports, incidents, cases and documents for the search tests, written to MongoDB
and indexed through the real indexer. Every text carries the corpus marker, so a test can narrow any search to
its own records in the session's shared indices."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hub.cases.models import Case, CaseCategory, FollowUp
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory, DocumentState, StoredDocument
from hub.regions.services import get_region
from hub.reports.models import (
    IncidentCategory,
    IncidentDetails,
    Period,
    Report,
    ReportStatus,
    ReportType,
    RiskLevel,
)
from search.indexer import bulk_index
from search.kinds import CASE_KIND, DOCUMENT_KIND, REPORT_KIND


def new_marker() -> str:
    # Letters then digits: no Indonesian affix for the stemmer to strip, one token for the analyzer.
    return f"mk{random.randint(10**9, 10**10 - 1)}"


@dataclass(frozen=True)
class Corpus:
    marker: str
    quarterly_jaksel: Report  # 31.74, 2026-Q1: "memilih"
    demo_jakpus: Report  # incident 31.71, 2026-Q2: "unjuk rasa damai"
    neutrality_aceh: Report  # incident 11.01, 2026-Q1: "netralitas", "memilih"
    quarterly_sumut: Report  # 12.01, 2025-Q4: "kerusuhan"
    nphd_case: Case  # 31.74
    decree_aceh: StoredDocument  # 11.01: "pemilihan"

    def ids(self, *names: str) -> set[str]:
        return {str(getattr(self, name).id) for name in names}


async def _path(code: str) -> list[str]:
    region = await get_region(code)
    assert region is not None
    return region.subtree_codes


async def quarterly(code: str, year: int, quarter: int, title: str, narrative: str) -> Report:
    report = Report(
        region_code=code,
        region_path=await _path(code),
        type=ReportType.QUARTERLY,
        template_version=1,
        period=Period(year=year, quarter=quarter),
        period_key=f"search-{uuid.uuid4().hex}",
        title=title,
        narratives={"political_situation": narrative},
        values={"conflict_potential": "rendah"},
        status=ReportStatus.SUBMITTED,
        risk_level=RiskLevel.LOW,
        author="user:tests",
        due_at=utcnow() + timedelta(days=10),
    )
    await report.insert()
    return report


async def incident(
    code: str,
    when: datetime,
    category: IncidentCategory,
    severity: RiskLevel,
    title: str,
    chronology: str,
    *,
    at: tuple[float, float] | None = None,
) -> Report:
    report = Report(
        region_code=code,
        region_path=await _path(code),
        type=ReportType.INCIDENT,
        template_version=1,
        period_key=f"incident:{uuid.uuid4().hex}",
        title=title,
        narratives={"chronology": chronology},
        incident=IncidentDetails(
            category=category,
            severity=severity,
            occurred_at=when,
            place="Jalan Medan Merdeka",
            latitude=at[0] if at else None,
            longitude=at[1] if at else None,
        ),
        status=ReportStatus.SUBMITTED,
        author="user:tests",
        due_at=when + timedelta(days=1),
        created_at=when,
    )
    await report.insert()
    return report


async def case(code: str, title: str, description: str, follow_up: str) -> Case:
    made = Case(
        region_code=code,
        region_path=await _path(code),
        title=title,
        description=description,
        category=CaseCategory.NPHD,
        severity=RiskLevel.MEDIUM,
        due_at=utcnow() + timedelta(days=30),
        opened_by="user:tests",
        follow_ups=[FollowUp(actor="user:tests", note=follow_up)],
    )
    await made.insert()
    return made


async def document(code: str, file_name: str, text: str, category: DocumentCategory) -> StoredDocument:
    made = StoredDocument(
        region_code=code,
        region_path=await _path(code),
        category=category,
        file_name=file_name,
        object_key=f"documents/{code}/{uuid.uuid4().hex}",
        content_type="text/plain",
        size=len(text),
        sha256=uuid.uuid4().hex * 2,
        uploader="user:tests",
        state=DocumentState.EXTRACTED,
        text=text,
        revision=2,
        needs_index=True,
    )
    await made.insert()
    return made


async def build_corpus(clients: Clients) -> Corpus:
    await ensure_search_indices(clients)
    m = new_marker()
    corpus = Corpus(
        marker=m,
        quarterly_jaksel=await quarterly(
            "31.74",
            2026,
            1,
            "Laporan triwulan Kota Jakarta Selatan",
            f"Warga memilih dengan tertib di seluruh TPS. Situasi keamanan kondusif. {m}",
        ),
        demo_jakpus=await incident(
            "31.71",
            datetime(2026, 4, 5, 9, tzinfo=UTC),
            IncidentCategory.DEMONSTRATION,
            RiskLevel.HIGH,
            "Unjuk rasa di kantor KPU",
            f"Unjuk rasa damai di depan kantor bupati menolak hasil rekapitulasi suara. {m}",
            at=(-6.1754, 106.8272),
        ),
        neutrality_aceh=await incident(
            "11.01",
            datetime(2026, 1, 20, 14, tzinfo=UTC),
            IncidentCategory.NEUTRALITY_BREACH,
            RiskLevel.MEDIUM,
            "Pelanggaran netralitas ASN",
            f"Kepala dinas mengajak warga memilih calon tertentu di TPS; situasi keamanan tetap kondusif. "
            f"Pelanggaran netralitas ASN. {m}",
        ),
        quarterly_sumut=await quarterly(
            "12.01",
            2025,
            4,
            "Laporan triwulan Kabupaten Nias",
            f"Rapat persiapan pilkada berlangsung lancar, tidak ada kerusuhan. {m}",
        ),
        nphd_case=await case(
            "31.74",
            "NPHD Bawaslu belum ditandatangani",
            f"Naskah perjanjian hibah daerah untuk Bawaslu belum ditandatangani. {m}",
            f"Rapat koordinasi dengan pemerintah daerah dijadwalkan pekan depan. {m}",
        ),
        decree_aceh=await document(
            "11.01",
            "SK tim pemantauan.txt",
            f"Surat keputusan pembentukan tim pemantauan pemilihan umum di Aceh. {m}",
            DocumentCategory.DECREE,
        ),
    )
    await index_corpus(clients, corpus)
    return corpus


async def index_corpus(clients: Clients, corpus: Corpus) -> None:
    prefix = clients.settings.es_index_prefix
    reports = [corpus.quarterly_jaksel, corpus.demo_jakpus, corpus.neutrality_aceh, corpus.quarterly_sumut]
    for kind, records in (
        (REPORT_KIND, reports),
        (CASE_KIND, [corpus.nphd_case]),
        (DOCUMENT_KIND, [corpus.decree_aceh]),
    ):
        outcome = await bulk_index(clients.es, kind, records, target=kind.alias(prefix), refresh=True)
        assert not outcome.failed, outcome


async def ensure_search_indices(clients: Clients) -> None:
    """The indices and aliases of the session's prefix, as the app and the worker make them at start."""
    from search.indices import ensure_indices

    await ensure_indices(clients.es, clients.settings.es_index_prefix)
