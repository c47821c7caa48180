"""What each kind of record looks like in the index: one flat shape shared by all kinds (search.indices).

Text fields come in pairs: the original words (phrases, typo tolerance, highlighting) and a `_stem` twin
stemmed here with search.analysis, because the development Elasticsearch has no Indonesian analyzer.

A record's text is held twice: combined (`text`, `title`: staff search everything at once) and apart, one
field per record field it comes from (`by_field.Report.narratives`, and its twin under `by_field_stem`), so a
partner grant's search reads only the fields it is granted (hub.access.visibility.SEARCH_TEXT_FIELDS).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from hub.cases.models import Case
from hub.documents.models import StoredDocument
from hub.reports.models import Report, ReportType
from search.analysis import stem_text


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def quarter_of(moment: datetime) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def province_of(region_path: list[str]) -> str | None:
    """The level-1 code of a region path (`ID`, `31`, `31.74` → `31`); None for national records."""
    return region_path[1] if len(region_path) > 1 else None


def _join(parts: Iterable[str | None]) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _texts(value: Any) -> Iterable[str]:
    """The words inside an indicator value: strings, and strings in lists; numbers and flags say nothing."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield item


class _Stems:
    """A record's stems, each text stemmed once though it is indexed twice (combined and apart): the stem
    of texts joined by _join is put together from theirs, since no word crosses the line breaks that join
    them. Stemming is most of what building a source costs."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def of(self, text: str) -> str:
        """stem_text(text)"""
        found = self._known.get(text)
        if found is None:
            found = self._known[text] = stem_text(text)
        return found

    def of_joined(self, parts: Iterable[str | None]) -> str:
        """stem_text(_join(parts))"""
        return " ".join(stem for stem in (self.of(part) for part in parts if part) if stem)


def _common(
    kind: str, record_id: str, version: int, title: str, parts: list[str | None], stems: _Stems
) -> dict[str, Any]:
    """What every kind has; its text is `parts` joined."""
    return {
        "kind": kind,
        "record_id": record_id,
        "record_version": version,
        "title": title,
        "title_stem": stems.of(title),
        "text": _join(parts),
        "text_stem": stems.of_joined(parts),
    }


BY_FIELD = "by_field"
BY_FIELD_STEM = "by_field_stem"


def by_field_path(record_field: str, *, stemmed: bool = False) -> str:
    """The index field holding the text of one record field (`Report.narratives`)."""
    return f"{BY_FIELD_STEM if stemmed else BY_FIELD}.{record_field}"


def _by_field(texts: Mapping[str, str | None], stems: _Stems) -> dict[str, Any]:
    """Each record field's text apart, words and stems, as nested objects (`Report` → `narratives`)."""
    words: dict[str, dict[str, str]] = {}
    stemmed: dict[str, dict[str, str]] = {}
    for record_field, text in texts.items():
        if not text or not text.strip():
            continue
        type_name, _, name = record_field.partition(".")
        words.setdefault(type_name, {})[name] = text
        stemmed.setdefault(type_name, {})[name] = stems.of(text)
    return {BY_FIELD: words, BY_FIELD_STEM: stemmed} if words else {}


def _region(region_code: str, region_path: list[str]) -> dict[str, Any]:
    return {"region_code": region_code, "region_path": region_path, "province": province_of(region_path)}


def _without_nones(source: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in source.items() if value is not None}


def _values_text(report: Report) -> str:
    return _join(text for value in report.values.values() for text in _texts(value))


def _incident_text(report: Report) -> str:
    incident = report.incident
    return _join([incident.place, incident.follow_up] if incident else [])


def _narratives_text(report: Report) -> str:
    return _join(report.narratives.values())


def _report_parts(report: Report) -> list[str | None]:
    return [_narratives_text(report), _values_text(report), _incident_text(report)]


def report_text(report: Report) -> str:
    # _join of the narratives joined is the narratives' _join: each part is stripped, the empty left out.
    return _join(_report_parts(report))


def report_source(report: Report) -> dict[str, Any]:
    incident = report.incident
    is_incident = report.type is ReportType.INCIDENT
    occurred = incident.occurred_at if incident else None
    if report.period is not None:
        period: str | None = report.period.key
    else:
        period = quarter_of(occurred) if occurred else None
    location = None
    if incident and incident.latitude is not None and incident.longitude is not None:
        location = {"lat": incident.latitude, "lon": incident.longitude}
    stems = _Stems()
    narratives_text, values_text, incident_text = parts = _report_parts(report)
    source = {
        **_common(
            "incident" if is_incident else "report",
            str(report.id),
            report.version,
            report.title,
            parts,
            stems,
        ),
        **_by_field(
            {
                "Report.title": report.title,
                "Report.narratives": narratives_text,
                "Report.values": values_text,
                "Report.incident": incident_text,
            },
            stems,
        ),
        **_region(report.region_code, report.region_path),
        "report_type": report.type.value,
        "status": report.status.value,
        "period_key": period,
        "category": incident.category.value if incident else None,
        "severity": incident.severity.value if incident else (report.risk_level and report.risk_level.value),
        "stage_code": report.stage_code,
        "date": _iso(occurred or report.created_at),
        "created_at": _iso(report.created_at),
        "updated_at": _iso(report.updated_at),
        "occurred_at": _iso(occurred),
        "due_at": _iso(report.due_at),
        "location": location,
    }
    return _without_nones(source)


def _follow_ups_text(case: Case) -> str:
    return _join(entry.note for entry in case.follow_ups)


def _case_parts(case: Case) -> list[str | None]:
    return [case.description, _follow_ups_text(case), case.resolution.note if case.resolution else None]


def case_text(case: Case) -> str:
    return _join(_case_parts(case))


def case_source(case: Case) -> dict[str, Any]:
    stems = _Stems()
    description, follow_ups, resolution = parts = _case_parts(case)
    source = {
        **_common("case", str(case.id), case.version, case.title, parts, stems),
        **_by_field(
            {
                "Case.title": case.title,
                "Case.description": description,
                "Case.followUps": follow_ups,
                "Case.resolution": resolution,
            },
            stems,
        ),
        **_region(case.region_code, case.region_path),
        "status": case.status.value,
        "category": case.category.value,
        "severity": case.severity.value,
        "stage_code": case.stage_code,
        "date": _iso(case.created_at),
        "created_at": _iso(case.created_at),
        "updated_at": _iso(case.updated_at),
        "due_at": _iso(case.due_at),
    }
    return _without_nones(source)


def document_source(document: StoredDocument) -> dict[str, Any]:
    stems = _Stems()
    parts = [document.title, document.number, document.text]
    source = {
        **_common("document", str(document.id), document.revision, document.file_name, parts, stems),
        **_by_field(
            {
                "Document.fileName": document.file_name,
                "Document.extractedText": document.text,
                "Document.title": document.title,
                "Document.number": document.number,
            },
            stems,
        ),
        **_region(document.region_code, document.region_path),
        "category": document.category.value,
        "period_key": document.period_key,
        "number": document.number,
        "content_type": document.content_type,
        # Attached to an incident: staff only (hub.documents.access); partner grants' searches leave it out.
        "attached": True if document.incident_id is not None else None,
        "date": _iso(document.created_at),
        "created_at": _iso(document.created_at),
        "updated_at": _iso(document.updated_at),
    }
    return _without_nones(source)
