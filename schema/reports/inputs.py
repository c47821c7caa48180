"""Inputs shared by the report mutations, and their conversion to domain values."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from hub.reports.errors import ReportError as DomainReportError
from hub.reports.services import Content
from schema.mutations import MutationErrors
from schema.reports.types import ReportError, RiskLevel


@strawberry.input
class PeriodInput:
    year: int
    quarter: int = strawberry.field(description="1 to 4.")


@strawberry.input
class SectionNarrativeInput:
    section: str
    text: str


@strawberry.input
class IndicatorValueInput:
    code: str
    value: JSON | None = strawberry.field(description="Typed as the indicator says; null clears the value.")


@strawberry.input
class IndicatorEvidenceInput:
    indicator: str
    documents: list[relay.GlobalID] = strawberry.field(
        description="Uploaded documents of the report's region."
    )


@strawberry.input(description="What the author writes; parts left out stay as they are.")
class ReportContentInput:
    title: str | None = None
    narratives: list[SectionNarrativeInput] | None = None
    values: list[IndicatorValueInput] | None = None
    evidence: list[IndicatorEvidenceInput] | None = None
    risk_level: RiskLevel | None = None
    election: relay.GlobalID | None = strawberry.field(
        default=None, description="With `stageCode`: the stage."
    )
    stage_code: str | None = None


def to_content(given: ReportContentInput | None) -> Content:
    if given is None:
        return Content()
    return Content(
        title=given.title,
        narratives={item.section: item.text for item in given.narratives}
        if given.narratives is not None
        else None,
        values={item.code: item.value for item in given.values} if given.values is not None else None,
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
