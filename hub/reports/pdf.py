"""The printable report as a PDF (reportlab): what a Kesbangpol office files on paper, in Indonesian.

Headings, indicator values by section, narratives, the evidence list with each piece's verification state,
the review history and a signature block. Rendering is CPU work: callers run it off the event loop.
"""

from __future__ import annotations

import io
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hub.reports.printable import PrintableReport

HIDDEN = "Bagian ini tidak termasuk dalam akses Anda."
_STYLES = getSampleStyleSheet()
_BODY = _STYLES["BodyText"]
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=9, leading=11)
_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _date(moment: datetime | None) -> str:
    return moment.strftime("%d-%m-%Y %H:%M UTC") if moment else "-"


def _p(text: str, style: ParagraphStyle = _CELL) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    table = Table(
        [[_p(cell) for cell in header], *[[_p(cell) for cell in row] for row in rows]],
        colWidths=[width * cm for width in widths],
        repeatRows=1,
    )
    table.setStyle(_GRID)
    return table


def _heading(text: str) -> Paragraph:
    return Paragraph(escape(text), _STYLES["Heading2"])


def _part(title: str, shown: bool, body: list[Flowable], empty: str) -> list[Flowable]:
    if not shown:
        return [_heading(title), _p(HIDDEN, _BODY)]
    return [_heading(title), *(body or [_p(empty, _BODY)])]


def _identity(report: PrintableReport) -> list[Flowable]:
    rows = [
        ["Daerah", report.region],
        ["Periode", report.period],
        ["Status", report.status],
        ["Tingkat kerawanan", report.risk_level],
        ["Penyusun", report.author],
        ["Diajukan", _date(report.submitted_at)],
        *[[label, value] for label, value in report.incident],
    ]
    table = Table([[_p(a), _p(b)] for a, b in rows], colWidths=[5 * cm, 11 * cm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    return [
        Paragraph(escape(report.template_title), _STYLES["Title"]),
        Paragraph(escape(report.title), _STYLES["Heading1"]),
        table,
    ]


def _signature(report: PrintableReport) -> list[Flowable]:
    block = Table(
        [
            [_p(""), _p(f"{report.region}, ____________________")],
            [_p("Mengetahui,"), _p("Yang melaporkan,")],
            [_p("Kepala Badan Kesbangpol"), _p("Penyusun laporan")],
            [Spacer(1, 2 * cm), Spacer(1, 2 * cm)],
            [_p("(____________________)"), _p(f"({report.author})")],
            [_p("NIP. ____________________"), _p("NIP. ____________________")],
        ],
        colWidths=[8 * cm, 8 * cm],
    )
    return [Spacer(1, 0.6 * cm), _heading("Tanda Tangan"), block]


def render_pdf(report: PrintableReport) -> bytes:
    """The whole report as PDF bytes (a report is a few pages: it is built in memory)."""
    story: list[Flowable] = _identity(report)
    values = [[value.section, value.label, value.value] for value in report.values or []]
    story += _part(
        "Indikator",
        report.values is not None,
        [_table(["Bagian", "Indikator", "Nilai"], values, [4.5, 8, 4])] if values else [],
        "Belum ada nilai indikator.",
    )
    narratives: list[Flowable] = []
    for title, text in report.narratives or []:
        narratives += [Paragraph(escape(title), _STYLES["Heading3"]), _p(text, _BODY)]
    story += _part("Uraian", report.narratives is not None, narratives, "Belum ada uraian.")
    evidence = [[item.indicator, item.name, item.state] for item in report.evidence or []]
    story += _part(
        "Data Dukung",
        report.evidence is not None,
        [_table(["Indikator", "Dokumen", "Status verifikasi"], evidence, [5.5, 6, 5])] if evidence else [],
        "Tidak ada data dukung.",
    )
    reviews = [[_date(item.at), item.action, item.actor, item.note] for item in report.reviews or []]
    story += _part(
        "Riwayat Pemeriksaan",
        report.reviews is not None,
        [_table(["Waktu", "Tindakan", "Oleh", "Catatan"], reviews, [3.5, 3, 3.5, 6.5])] if reviews else [],
        "Belum ada pemeriksaan.",
    )
    story += _signature(report)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=report.title,
        author="Pantau Hub",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story)
    return buffer.getvalue()
