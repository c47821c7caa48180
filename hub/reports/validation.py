"""Report content against its template. Pure: no database, no clock."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from hub.i18n import Text
from hub.reports.errors import FieldProblem, ReportErrorCode
from hub.reports.models import Indicator, TemplateContent, ValueType
from hub.reports.rules import violations

MAX_TEXT = 20_000
MAX_NARRATIVE = 100_000


class ValueProblem(ValueError):
    """An indicator's value is not of its type; `text` says how, in the catalog (hub.i18n)."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


def _number(raw: Any) -> float | int:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise ValueProblem(Text("reports.value_number"))
    return raw


def coerce(indicator: Indicator, raw: Any) -> Any:
    """The stored form of a value, or ValueProblem saying what is wrong with it."""
    kind = indicator.value_type
    if kind is ValueType.YES_NO:
        if not isinstance(raw, bool):
            raise ValueProblem(Text("reports.value_boolean"))
        return raw
    if kind is ValueType.NUMBER:
        return _number(raw)
    if kind is ValueType.MONEY:
        value = _number(raw)
        if value < 0 or value != int(value):
            raise ValueProblem(Text("reports.value_rupiah"))
        return int(value)
    if kind is ValueType.PERCENTAGE:
        value = _number(raw)
        if not 0 <= value <= 100:
            raise ValueProblem(Text("reports.value_percent"))
        return value
    if kind is ValueType.CHOICE:
        if raw not in (indicator.choices or []):
            raise ValueProblem(Text("reports.value_choice", choices=", ".join(indicator.choices or [])))
        return raw
    if kind is ValueType.TEXT:
        if not isinstance(raw, str) or not raw.strip() or len(raw) > MAX_TEXT:
            raise ValueProblem(Text("reports.value_text", max_text=MAX_TEXT))
        return raw.strip()
    if kind is ValueType.DATE:
        if not isinstance(raw, str):
            raise ValueProblem(Text("reports.value_date"))
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise ValueProblem(Text("reports.value_date")) from None
    raise ValueProblem(Text("reports.value_type_unsupported", kind=kind))


def check_content(
    template: TemplateContent,
    narratives: dict[str, str],
    values: dict[str, Any],
    evidence: dict[str, list[str]],
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Well-formedness, checked on every edit: known codes and well-typed values. Returns coerced values."""
    problems: list[FieldProblem] = []
    coerced: dict[str, Any] = {}
    for code, text in narratives.items():
        if template.section(code) is None:
            problems.append(
                FieldProblem(
                    f"narratives.{code}", ReportErrorCode.UNKNOWN_FIELD, Text("reports.unknown_section")
                )
            )
        elif len(text) > MAX_NARRATIVE:
            problems.append(
                FieldProblem(
                    f"narratives.{code}",
                    ReportErrorCode.INVALID_VALUE,
                    Text("reports.narrative_too_long", max_narrative=MAX_NARRATIVE),
                )
            )
    for code, raw in values.items():
        indicator = template.indicator(code)
        if indicator is None:
            problems.append(
                FieldProblem(
                    f"values.{code}", ReportErrorCode.UNKNOWN_FIELD, Text("reports.unknown_indicator")
                )
            )
            continue
        if raw is None:
            continue
        try:
            coerced[code] = coerce(indicator, raw)
        except ValueProblem as problem:
            problems.append(FieldProblem(f"values.{code}", ReportErrorCode.INVALID_VALUE, problem.text))
    for code in evidence:
        if template.indicator(code) is None:
            problems.append(
                FieldProblem(
                    f"evidence.{code}", ReportErrorCode.UNKNOWN_FIELD, Text("reports.unknown_indicator")
                )
            )
    return coerced, problems


def check_complete(
    template: TemplateContent,
    narratives: dict[str, str],
    values: dict[str, Any],
    evidence: dict[str, list[str]],
) -> list[FieldProblem]:
    """Completeness, checked on submit: required narratives and values present, evidence where required."""
    problems: list[FieldProblem] = []
    for section in template.sections:
        if section.narrative_required and not (narratives.get(section.code) or "").strip():
            problems.append(
                FieldProblem(
                    f"narratives.{section.code}",
                    ReportErrorCode.REQUIRED,
                    Text("reports.narrative_required", title=section.title),
                )
            )
        for indicator in section.indicators:
            if indicator.required and values.get(indicator.code) is None:
                problems.append(
                    FieldProblem(
                        f"values.{indicator.code}",
                        ReportErrorCode.REQUIRED,
                        Text("reports.indicator_required", label=indicator.label),
                    )
                )
            claimed = values.get(indicator.code) not in (None, False)
            if indicator.evidence_required and claimed and not evidence.get(indicator.code):
                problems.append(
                    FieldProblem(
                        f"evidence.{indicator.code}",
                        ReportErrorCode.EVIDENCE_REQUIRED,
                        Text("reports.evidence_required", label=indicator.label),
                    )
                )
    return problems


def check_rules(template: TemplateContent, values: dict[str, Any]) -> list[FieldProblem]:
    """The template's rules across fields (hub.reports.rules), checked on submit: each broken rule names the
    value at fault, with the rule's message and code."""
    return [
        FieldProblem(
            f"values.{broken.field}", ReportErrorCode.RULE_FAILED, f"{broken.message} (rule {broken.rule})"
        )
        for broken in violations(template.rules, values)
    ]
