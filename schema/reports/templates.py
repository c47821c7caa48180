from __future__ import annotations

from typing import TypeAlias

import strawberry

from hub.reports.errors import TemplateErrorCode as TemplateErrorCodeModel
from hub.reports.models import TemplateContent
from schema.describe import ERROR_CODE, ERROR_MESSAGE, error_codes
from schema.reports.template_rules import TemplateRule
from schema.reports.types import ReportType, ValueType

error_codes(
    TemplateErrorCodeModel,
    name="TemplateErrorCode",
    noun="template",
    values={
        "TEMPLATE_NOT_FOUND": "No template of this type and version.",
        "INVALID_CODE": "A section, indicator or rule code is not lowercase letters, digits and `_` (1 to "
        "40), or is `general`.",
        "DUPLICATE_CODE": "A code is used twice (sections and indicators share one set of codes).",
        "INVALID_TEXT": "A title, label or message is empty or too long.",
        "INVALID_CHOICES": "A CHOICE indicator needs 1 to 50 distinct choices; other types take none.",
        "TOO_LARGE": "Too many sections (30), indicators (200), rules (50) or conditions in a rule (16).",
        "TOO_DEEP": "A rule's conditions nest more than 4 levels.",
        "INVALID_CONDITION": "A condition is neither one non-empty group nor a comparison with exactly what "
        "its operator needs.",
        "UNKNOWN_FIELD": "A rule names an indicator the template does not have.",
        "TYPE_MISMATCH": "A rule compares values of different types, orders a type without order, or gives "
        "a constant that is not of the indicator's type.",
        "CONFLICT": "Another version was created meanwhile: reload and try again.",
    },
)
TemplateErrorCode: TypeAlias = TemplateErrorCodeModel


@strawberry.type(description="Why a template mutation did nothing; one per part at fault.")
class TemplateError:
    field: str | None = strawberry.field(
        description="The input part at fault, such as `sections.2.indicators.0.code` or "
        "`rules.1.require.otherField`."
    )
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: TemplateErrorCode = strawberry.field(description=ERROR_CODE)


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
    description="A versioned report form: its sections, indicators and rules across fields. Versions never "
    "change once created (`templateVersionCreate` makes the next); reports keep the version they were "
    "written against. Reference data: every signed-in account reads templates."
)
class ReportTemplate:
    type: ReportType = strawberry.field(description="The report type it is the form of.")
    version: int = strawberry.field(description="Its version, from 1.")
    title: str = strawberry.field(description="Its title, in Indonesian.")
    sections: list[TemplateSection] = strawberry.field(description="Its sections, in order.")
    rules: list[TemplateRule] = strawberry.field(
        description="Its rules across fields, checked on submit; clients may check them as the author types."
    )

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
            rules=[TemplateRule.of(rule) for rule in template.rules],
        )
