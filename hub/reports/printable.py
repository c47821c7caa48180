"""What the printable report (`GET /reports/{id}.pdf`, hub.reports.pdf) shows, as a reader may see it.

The report is loaded exactly as the API loads it (hub.reports.access.load_report: REPORT_NOT_FOUND whether it
is missing or out of scope). A partner grant sees only the parts its fields open (`Report.values`,
`Report.narratives`, `Report.evidence`, `Report.reviews`, `Report.incident`), like the API; people are named
only when the reader may see their accounts. Everything is spelled in Indonesian, the language the offices
file in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub.access.principal import Principal
from hub.access.users import visible_actor_names
from hub.core.ids import object_ids
from hub.documents.models import DocumentState, StoredDocument
from hub.regions.services import get_region
from hub.reports.access import load_report
from hub.reports.models import Report, ReportStatus, RiskLevel, TemplateContent, ValueType
from hub.reports.templates import template_version

STATUS_LABELS = {
    ReportStatus.DRAFT: "Draf",
    ReportStatus.SUBMITTED: "Diajukan",
    ReportStatus.VERIFIED: "Terverifikasi",
    ReportStatus.RETURNED: "Dikembalikan untuk perbaikan",
    ReportStatus.EVALUATED: "Dievaluasi",
    ReportStatus.ARCHIVED: "Diarsipkan",
}
REVIEW_ACTION_LABELS = {
    "submit": "Diajukan",
    "verify": "Diverifikasi",
    "return": "Dikembalikan",
    "evaluate": "Dievaluasi",
    "archive": "Diarsipkan",
    "reopen": "Dibuka kembali",
}
RISK_LABELS = {
    RiskLevel.LOW: "Rendah",
    RiskLevel.MEDIUM: "Sedang",
    RiskLevel.HIGH: "Tinggi",
    RiskLevel.CRITICAL: "Sangat tinggi",
}
# The verification state of a piece of evidence, as far as the hub knows it today: the document's own
# processing state. New states (checked automatically, confirmed or rejected by a reviewer) are added here.
EVIDENCE_STATE_LABELS = {
    DocumentState.STORED: "Tersimpan, teks belum dibaca",
    DocumentState.EXTRACTED: "Teks terbaca, belum diverifikasi",
    DocumentState.INDEXED: "Teks terbaca, belum diverifikasi",
    DocumentState.REJECTED: "Ditolak saat diproses",
}
# The record fields a printed report can show: a partner sees those its grant lists (its read logs them).
PRINTED_FIELDS = (
    "Report.title",
    "Report.period",
    "Report.status",
    "Report.riskLevel",
    "Report.incident",
    "Report.values",
    "Report.narratives",
    "Report.evidence",
    "Report.reviews",
    "Document.fileName",
)
MISSING_EVIDENCE = "Tidak ditemukan"
TRASHED_EVIDENCE = "Dihapus (di tempat sampah)"


@dataclass(frozen=True)
class PrintedValue:
    section: str
    label: str
    value: str


@dataclass(frozen=True)
class PrintedEvidence:
    indicator: str
    name: str
    state: str


@dataclass(frozen=True)
class PrintedReview:
    at: datetime
    action: str
    actor: str
    note: str


@dataclass(frozen=True)
class PrintableReport:
    report_id: str
    title: str
    template_title: str
    region: str
    period: str
    status: str
    risk_level: str
    author: str
    submitted_at: datetime | None
    incident: list[tuple[str, str]] = field(default_factory=list)
    values: list[PrintedValue] | None = None  # None: the reader may not read this part
    narratives: list[tuple[str, str]] | None = None
    evidence: list[PrintedEvidence] | None = None
    reviews: list[PrintedReview] | None = None


def evidence_state(document: StoredDocument | None) -> str:
    """The one place a piece of evidence's verification state is put into words."""
    if document is None:
        return MISSING_EVIDENCE
    if document.in_trash:
        return TRASHED_EVIDENCE
    return EVIDENCE_STATE_LABELS.get(document.state, document.state.value)


def spelled(value: Any, value_type: ValueType | None) -> str:
    """An indicator's value as a reader of the printed form expects it."""
    if value is None or value == "":
        return "-"
    if value_type is ValueType.YES_NO or isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if value_type is ValueType.MONEY and isinstance(value, int | float):
        return "Rp " + f"{int(value):,}".replace(",", ".")
    if value_type is ValueType.PERCENTAGE and isinstance(value, int | float):
        return f"{value:g}%".replace(".", ",")
    return str(value)


def _values(report: Report, template: TemplateContent | None) -> list[PrintedValue]:
    printed = []
    if template is not None:
        for section in template.sections:
            for indicator in section.indicators:
                if indicator.code in report.values:
                    value = spelled(report.values[indicator.code], indicator.value_type)
                    printed.append(PrintedValue(section.title, indicator.label, value))
    known = {indicator.code for indicator in template.indicators()} if template else set()
    printed += [
        PrintedValue("", code, spelled(v, None)) for code, v in report.values.items() if code not in known
    ]
    return printed


def _narratives(report: Report, template: TemplateContent | None) -> list[tuple[str, str]]:
    def title(code: str) -> str:
        section = template.section(code) if template is not None else None
        return section.title if section is not None else code

    return [(title(code), text) for code, text in report.narratives.items() if text.strip()]


async def _evidence(
    report: Report, template: TemplateContent | None, names_open: bool
) -> list[PrintedEvidence]:
    wanted = {value for ids in report.evidence.values() for value in ids}
    found: dict[str, StoredDocument] = {}
    if wanted:
        documents = await StoredDocument.find({"_id": {"$in": object_ids(sorted(wanted))}}).to_list()
        found = {str(document.id): document for document in documents}
    printed = []
    for code, ids in report.evidence.items():
        indicator = template.indicator(code) if template is not None else None
        for value in ids:
            document = found.get(value)
            name = document.file_name if document is not None and names_open else f"Dokumen {value}"
            printed.append(
                PrintedEvidence(indicator.label if indicator else code, name, evidence_state(document))
            )
    return printed


def _incident(report: Report) -> list[tuple[str, str]]:
    details = report.incident
    if details is None:
        return []
    where = details.place or "-"
    if details.latitude is not None and details.longitude is not None:
        where += f" ({details.latitude:.5f}, {details.longitude:.5f})"
    people = details.people
    return [
        ("Kategori", details.category.value.replace("_", " ")),
        ("Tingkat keparahan", RISK_LABELS[details.severity]),
        ("Waktu kejadian", details.occurred_at.strftime("%d-%m-%Y %H:%M UTC")),
        ("Tempat", where),
        ("Korban/terlibat", f"{people.participants} peserta, {people.injured} luka, {people.dead} meninggal"),
        ("Tindak lanjut", details.follow_up or "-"),
    ]


async def printable_report(principal: Principal, report_id: str) -> PrintableReport:
    """Raises ReportError REPORT_NOT_FOUND as reading the report does."""
    report = await load_report(principal, report_id)
    template = await template_version(report.type, report.template_version)
    region = await get_region(report.region_code)
    reads = principal.scope.allows_field
    people = await visible_actor_names(principal, [report.author, *(event.actor for event in report.reviews)])
    reviews = [
        PrintedReview(
            at=event.at,
            action=REVIEW_ACTION_LABELS.get(event.action, event.action),
            actor=people.get(event.actor, "-"),
            note="; ".join(filter(None, [event.note, *(f"{r.target}: {r.message}" for r in event.reasons)])),
        )
        for event in report.reviews
    ]
    return PrintableReport(
        report_id=str(report.id),
        title=report.title if reads("Report", "title") else "Laporan",
        template_title=template.title if template is not None else report.type.value,
        region=f"{region.name} ({region.id})" if region is not None else report.region_code,
        period=report.period_key if reads("Report", "period") else "-",
        status=STATUS_LABELS[report.status] if reads("Report", "status") else "-",
        risk_level=RISK_LABELS[report.risk_level]
        if report.risk_level and reads("Report", "riskLevel")
        else "-",
        author=people.get(report.author, "-"),
        submitted_at=report.submitted_at,
        incident=_incident(report) if reads("Report", "incident") else [],
        values=_values(report, template) if reads("Report", "values") else None,
        narratives=_narratives(report, template) if reads("Report", "narratives") else None,
        evidence=await _evidence(report, template, reads("Document", "fileName"))
        if reads("Report", "evidence")
        else None,
        reviews=reviews if reads("Report", "reviews") else None,
    )
