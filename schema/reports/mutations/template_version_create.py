"""`templateVersionCreate` (admins): the next version of a report type's template, with its rules."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.reports.errors import TemplateError as DomainTemplateError
from hub.reports.models import Indicator, Section
from hub.reports.template_checks import check_sizes
from hub.reports.template_versions import create_template_version, require_admin
from schema.context import Info
from schema.describe import ERRORS
from schema.reports.template_rules import TemplateRuleInput, rule
from schema.reports.templates import ReportTemplate, TemplateError
from schema.reports.types import ReportType, ValueType


@strawberry.input(description="An indicator of a new template version.")
class TemplateIndicatorInput:
    code: str = strawberry.field(description="Lowercase letters, digits and `_`; unique in the template.")
    label: str = strawberry.field(description="What it asks, in Indonesian.")
    value_type: ValueType = strawberry.field(description="How its value is typed.")
    required: bool = strawberry.field(default=False, description="A value is needed to submit.")
    evidence_required: bool = strawberry.field(
        default=False, description="Supporting documents are needed to submit (when the value is not false)."
    )
    choices: list[str] | None = strawberry.field(default=None, description="CHOICE only: 1 to 50 values.")
    help: str | None = strawberry.field(default=None, description="A hint for the author.")


@strawberry.input(description="A section of a new template version.")
class TemplateSectionInput:
    code: str = strawberry.field(description="Lowercase letters, digits and `_`; unique in the template.")
    title: str = strawberry.field(description="Its title, in Indonesian.")
    narrative_required: bool = strawberry.field(default=True, description="A narrative is needed to submit.")
    indicators: list[TemplateIndicatorInput] = strawberry.field(
        default_factory=list, description="Its indicators, in order."
    )


@strawberry.input(description="The whole content of a new template version: versions are never edited.")
class TemplateVersionCreateInput:
    type: ReportType = strawberry.field(description="The report type it is the form of.")
    title: str = strawberry.field(description="Its title, in Indonesian.")
    sections: list[TemplateSectionInput] = strawberry.field(description="1 to 30 sections, in order.")
    rules: list[TemplateRuleInput] = strawberry.field(
        default_factory=list, description="At most 50 rules across fields."
    )


@strawberry.type(description="What `templateVersionCreate` answers.")
class TemplateVersionCreatePayload:
    template: ReportTemplate | None = strawberry.field(description="The new version; null when refused.")
    errors: list[TemplateError] = strawberry.field(description=ERRORS)


def _sections(given: list[TemplateSectionInput]) -> list[Section]:
    return [
        Section(
            code=section.code,
            title=section.title,
            narrative_required=section.narrative_required,
            indicators=[
                Indicator(
                    code=indicator.code,
                    label=indicator.label,
                    value_type=indicator.value_type,
                    required=indicator.required,
                    evidence_required=indicator.evidence_required,
                    choices=indicator.choices,
                    help=indicator.help,
                )
                for indicator in section.indicators
            ],
        )
        for section in given
    ]


async def template_version_create(
    info: Info,
    input: Annotated[
        TemplateVersionCreateInput, strawberry.argument(description="The new version's content.")
    ],
) -> TemplateVersionCreatePayload:
    """Create the next version of a template (admins); earlier versions and their reports are unchanged."""
    try:
        require_admin(info.context.principal)
        # Sizes before anything else is converted or looked at.
        indicators = sum(len(section.indicators) for section in input.sections)
        too_large = check_sizes(len(input.sections), indicators, len(input.rules))
        if too_large:
            raise DomainTemplateError(too_large)
        rules = [rule(given, f"rules.{i}") for i, given in enumerate(input.rules)]
        template = await create_template_version(
            info.context.principal, input.type, input.title, _sections(input.sections), rules
        )
    except DomainTemplateError as error:
        return TemplateVersionCreatePayload(
            template=None,
            errors=[TemplateError(field=p.field, message=p.message, code=p.code) for p in error.problems],
        )
    return TemplateVersionCreatePayload(template=ReportTemplate.from_model(template), errors=[])
