"""A document as a record: title, number, the date it bears, the one period it is evidence for, the report,
indicator or case it supports, and custom fields per category. Checked the same way at upload and in
documentUpdate; each problem is a DocumentError naming the input field.

The report and the case must be ones the principal can see, of the document's own region: evidence of a
region is filed by that region. An indicator needs its report and must be one of the report's template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from hub.access.principal import Principal
from hub.cases.models import Case
from hub.core.ids import object_id
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.models import DocumentCategory
from hub.reports.access import visible
from hub.reports.models import Report
from hub.reports.templates import template_version

MAX_TITLE = 300
MAX_NUMBER = 100
MAX_FIELD_VALUE = 500
PERIOD = re.compile(r"^(20\d\d|2100)-Q([1-4])$")

# The custom fields each category has: name → what it holds (said in the API's description).
CUSTOM_FIELDS: Mapping[DocumentCategory, Mapping[str, str]] = {
    DocumentCategory.DECREE: {"issuer": "who issued the decree", "subject": "what it decides"},
    DocumentCategory.MINUTES: {"meeting": "the meeting recorded", "place": "where it took place"},
    DocumentCategory.NPHD: {
        "recipient": "the grant's recipient (KPU, Bawaslu, …)",
        "amount": "the grant's amount in rupiah",
        "signedOn": "the date it was signed",
    },
    DocumentCategory.PHOTO: {"place": "where it was taken", "takenOn": "when it was taken"},
    DocumentCategory.CORRESPONDENCE: {"sender": "who sent it", "recipient": "to whom"},
    DocumentCategory.OTHER: {},
}

# The record fields `documentUpdate` may change, as stored (hub.documents.models.DocumentRecord) + category.
RECORD_FIELDS = (
    "title",
    "number",
    "document_date",
    "period_key",
    "report_id",
    "indicator_code",
    "case_id",
    "custom_fields",
)


@dataclass(frozen=True)
class RecordInput:
    """What a caller gives; `given` names the fields to set (a field given as None is cleared)."""

    values: Mapping[str, Any]

    @property
    def given(self) -> set[str]:
        return set(self.values)


def _invalid(message: str, field: str) -> DocumentError:
    return DocumentError(DocumentErrorCode.INVALID_METADATA, message, field)


def _text(value: Any, limit: int, field: str) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(str(value).split())
    if len(cleaned) > limit:
        raise _invalid(f"`{field}` has at most {limit} characters", field)
    return cleaned or None


def check_period(value: str | None, field: str = "period") -> str | None:
    if value is None:
        return None
    if not PERIOD.match(value.strip()):
        raise _invalid(f"{value!r} is not a period like 2026-Q1", field)
    return value.strip()


def _date(value: date | None) -> datetime | None:
    return None if value is None else datetime(value.year, value.month, value.day, tzinfo=UTC)


def check_custom_fields(category: DocumentCategory, values: Mapping[str, str] | None) -> dict[str, str]:
    allowed = CUSTOM_FIELDS[category]
    checked: dict[str, str] = {}
    for name, value in (values or {}).items():
        if name not in allowed:
            names = ", ".join(allowed) or "none"
            raise _invalid(
                f"a {category.value} document has no custom field {name!r} (it has: {names})",
                f"customFields.{name}",
            )
        text = _text(value, MAX_FIELD_VALUE, f"customFields.{name}")
        if text is not None:
            checked[name] = text
    return checked


async def _report(principal: Principal, raw: Any, region_code: str) -> Report:
    oid = object_id(str(raw))
    report = await Report.get(oid) if oid is not None else None
    if report is None or not visible(principal, report):
        raise DocumentError(DocumentErrorCode.REPORT_NOT_FOUND, "no report you can see has this id", "report")
    if report.region_code != region_code:
        raise DocumentError(
            DocumentErrorCode.REGION_MISMATCH,
            f"the report is of region {report.region_code}; the document is of {region_code}",
            "report",
        )
    return report


async def _case_id(principal: Principal, raw: Any, region_code: str) -> Any:
    oid = object_id(str(raw))
    case = await Case.get(oid) if oid is not None else None
    if case is None or not principal.scope.covers(case.region_path):
        raise DocumentError(DocumentErrorCode.CASE_NOT_FOUND, "no case with this id you can see", "case")
    if case.region_code != region_code:
        raise DocumentError(
            DocumentErrorCode.REGION_MISMATCH,
            f"the case is of region {case.region_code}; the document is of {region_code}",
            "case",
        )
    return case.id


async def check_record(
    principal: Principal,
    *,
    region_code: str,
    category: DocumentCategory,
    current: Mapping[str, Any],
    given: RecordInput,
) -> dict[str, Any]:
    """The stored values of the record fields after applying `given` to `current` (all RECORD_FIELDS)."""
    merged = {name: current.get(name) for name in RECORD_FIELDS} | dict(given.values)
    values: dict[str, Any] = {
        "title": _text(merged["title"], MAX_TITLE, "title"),
        "number": _text(merged["number"], MAX_NUMBER, "number"),
        "document_date": merged["document_date"],
        "period_key": check_period(merged["period_key"]),
        "custom_fields": check_custom_fields(category, merged["custom_fields"]),
        "report_id": None,
        "indicator_code": None,
        "case_id": None,
    }
    if isinstance(values["document_date"], date) and not isinstance(values["document_date"], datetime):
        values["document_date"] = _date(values["document_date"])
    indicator = _text(merged["indicator_code"], 64, "indicator")
    if merged["report_id"] is not None:
        report = await _report(principal, merged["report_id"], region_code)
        values["report_id"] = report.id
        if indicator is not None:
            template = await template_version(report.type, report.template_version)
            if template is None or template.indicator(indicator) is None:
                raise _invalid(f"the report's form has no indicator {indicator!r}", "indicator")
            values["indicator_code"] = indicator
    elif indicator is not None:
        raise _invalid("an indicator is given with the report it belongs to", "indicator")
    if merged["case_id"] is not None:
        values["case_id"] = await _case_id(principal, merged["case_id"], region_code)
    return values
