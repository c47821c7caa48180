from __future__ import annotations

import strawberry

from hub.reports.models import TemplateContent
from schema.reports.types import ReportType, ValueType


@strawberry.type
class TemplateIndicator:
    code: str
    label: str
    value_type: ValueType
    required: bool
    evidence_required: bool
    choices: list[str] | None


@strawberry.type
class TemplateSection:
    code: str
    title: str
    narrative_required: bool
    indicators: list[TemplateIndicator]


@strawberry.type(description="A versioned report form: its sections and indicators.")
class ReportTemplate:
    type: ReportType
    version: int
    title: str
    sections: list[TemplateSection]

    @classmethod
    def from_model(cls, template: TemplateContent) -> ReportTemplate:
        return cls(
            type=template.type,
            version=template.version,
            title=template.title,
            sections=[
                TemplateSection(
                    code=section.code,
                    title=section.title,
                    narrative_required=section.narrative_required,
                    indicators=[
                        TemplateIndicator(
                            code=indicator.code,
                            label=indicator.label,
                            value_type=indicator.value_type,
                            required=indicator.required,
                            evidence_required=indicator.evidence_required,
                            choices=indicator.choices,
                        )
                        for indicator in section.indicators
                    ],
                )
                for section in template.sections
            ],
        )
