"""Inputs shared by the report mutations, and their conversion to domain values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from hub.i18n import Text
from hub.reports.errors import ReportError as DomainReportError
from hub.reports.errors import ReportErrorCode
from hub.reports.services import Content
from schema.mutations import MutationErrors
from schema.reports.types import ReportError, RiskLevel


@strawberry.input(description="A reporting period: a quarter (triwulan) of a year.")
class PeriodInput:
    year: int = strawberry.field(description="The year, 2000 to 2100.")
    quarter: int = strawberry.field(description="The quarter, 1 to 4.")


@strawberry.input(description="The narrative of one section of the template.")
class SectionNarrativeInput:
    section: str = strawberry.field(description="The section's code in the report's template.")
    text: str = strawberry.field(description="The text; empty clears it.")


@strawberry.input(
    description="The value of one indicator, in the typed field its template's value type says (`boolean` "
    "for YES_NO; `number` for NUMBER, MONEY and PERCENTAGE; `text` for CHOICE and TEXT; `date` for DATE). "
    "Give at most one of them; none clears the value."
)
class IndicatorValueInput:
    code: str = strawberry.field(description="The indicator's code in the report's template.")
    boolean: bool | None = strawberry.field(default=None, description="A YES_NO value.")
    number: float | None = strawberry.field(
        default=None, description="A NUMBER, PERCENTAGE (0 to 100) or MONEY (whole rupiah) value."
    )
    text: str | None = strawberry.field(default=None, description="A TEXT value, or the CHOICE made.")
    date: dt.date | None = strawberry.field(default=None, description="A DATE value.")
    value: JSON | None = strawberry.field(
        default=None,
        description="The value as untyped JSON, typed as the indicator says.",
        deprecation_reason="Give the typed field of the indicator's value type: `boolean`, `number`, "
        "`text` or `date`.",
    )


@strawberry.input(description="The supporting documents (data dukung) of one indicator.")
class IndicatorEvidenceInput:
    indicator: str = strawberry.field(description="The indicator's code in the report's template.")
    documents: list[relay.GlobalID] = strawberry.field(
        description="Document ids of the report's region; they replace the indicator's earlier evidence."
    )


@strawberry.input(description="What the author writes; parts left out stay as they are.")
class ReportContentInput:
    title: str | None = strawberry.field(default=None, description="A new title.")
    narratives: list[SectionNarrativeInput] | None = strawberry.field(
        default=None, description="Section narratives to set, by section."
    )
    values: list[IndicatorValueInput] | None = strawberry.field(
        default=None, description="Indicator values to set, by indicator."
    )
    evidence: list[IndicatorEvidenceInput] | None = strawberry.field(
        default=None, description="Supporting documents to set, by indicator."
    )
    risk_level: RiskLevel | None = strawberry.field(
        default=None, description="The vulnerability (kerawanan) the author assesses."
    )
    election: relay.GlobalID | None = strawberry.field(
        default=None, description="With `stageCode`: the election (an Election id) of the stage."
    )
    stage_code: str | None = strawberry.field(
        default=None, description="The election stage (tahapan) the report speaks about."
    )


_TYPED = ("boolean", "number", "text", "date")


def _value(given: IndicatorValueInput) -> Any:
    """The one value given, as the domain checks it against the template (a date as `YYYY-MM-DD`)."""
    typed = {name: getattr(given, name) for name in _TYPED if getattr(given, name) is not None}
    if given.value is not None:
        typed["value"] = given.value
    if len(typed) > 1:
        raise DomainReportError(
            ReportErrorCode.INVALID_VALUE,
            Text("reports.one_value", code=given.code, values=", ".join(sorted(typed))),
            f"values.{given.code}",
        )
    value = next(iter(typed.values()), None)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and given.number is not None:
        return int(value)  # MONEY takes whole rupiah; an integral float reads as the whole number it is
    return value


def to_content(given: ReportContentInput | None) -> Content:
    if given is None:
        return Content()
    return Content(
        title=given.title,
        narratives={item.section: item.text for item in given.narratives}
        if given.narratives is not None
        else None,
        values={item.code: _value(item) for item in given.values} if given.values is not None else None,
        evidence=(
            {item.indicator: [document.node_id for document in item.documents] for item in given.evidence}
            if given.evidence is not None
            else None
        ),
        risk_level=given.risk_level,
        stage_code=given.stage_code,
        election_id=given.election.node_id if given.election else None,
    )


# A content error names every field at fault: one typed error each.
REPORT_ERRORS = MutationErrors(DomainReportError, ReportError)
report_errors = REPORT_ERRORS.typed
