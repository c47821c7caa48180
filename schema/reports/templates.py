from __future__ import annotations

import strawberry

from hub.reports.models import TemplateContent
from schema.reports.types import ReportType, ValueType


@strawberry.type(description="One indicator of a template: a value the author gives, of a type.")
class TemplateIndicator:
    code: str = strawberry.field(description="Its code, as reports' `values` and `evidence` name it.")
    label: str = strawberry.field(description="What it asks, in Indonesian.")
    value_type: ValueType = strawberry.field(description="How its value is typed.")
    required: bool = strawberry.field(description="A value is needed to submit.")
    evidence_required: bool = strawberry.field(
        description="Supporting documents (data dukung) are needed to submit."
    )
    choices: list[str] | None = strawberry.field(description="CHOICE: the values it takes.")


@strawberry.type(description="One section of a template: a narrative and its indicators.")
class TemplateSection:
    code: str = strawberry.field(description="Its code, as reports' `narratives` name it.")
    title: str = strawberry.field(description="Its title, in Indonesian.")
    narrative_required: bool = strawberry.field(description="A narrative is needed to submit.")
    indicators: list[TemplateIndicator] = strawberry.field(description="Its indicators, in order.")


@strawberry.type(
    description="A versioned report form: its sections and indicators. Reports keep the version they were "
    "written against. Reference data: every signed-in account reads templates."
)
class ReportTemplate:
    type: ReportType = strawberry.field(description="The report type it is the form of.")
    version: int = strawberry.field(description="Its version, from 1.")
    title: str = strawberry.field(description="Its title, in Indonesian.")
    sections: list[TemplateSection] = strawberry.field(description="Its sections, in order.")

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
