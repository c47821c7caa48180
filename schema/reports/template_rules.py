"""Rules across fields of a template (hub.reports.rules) in the API: published on `ReportTemplate.rules` so
that clients check them offline exactly as the hub does on submit, and given as input to
`templateVersionCreate`. Input conditions are converted with their depth checked first, so a deeply nested
one is refused (TOO_DEEP) before anything else is done with it."""

from __future__ import annotations

from typing import Any, TypeAlias

import strawberry

from hub.reports.errors import TemplateErrorCode, template_refusal
from hub.reports.rules import MAX_DEPTH, Condition, Rule, RuleOp
from schema.describe import enum_type

enum_type(
    RuleOp,
    name="RuleOperator",
    description="How a rule's condition compares an indicator's value. A comparison with a missing value "
    "does not hold.",
    values={
        "EQ": "Equal to the constant or to `otherField`'s value.",
        "NE": "Not equal.",
        "LT": "Less than (numbers, money, percentages, dates).",
        "LE": "Less than or equal.",
        "GT": "Greater than.",
        "GE": "Greater than or equal.",
        "PRESENT": "The indicator has a value (no constant, no `otherField`).",
        "ABSENT": "The indicator has no value.",
    },
)
RuleOperator: TypeAlias = RuleOp
CONDITION = (
    "Either a group (`all` or `any` of further conditions, nested at most "
    f"{MAX_DEPTH} levels) or a comparison: `field` `op` a constant (`boolean`, `number` or `text`), or "
    "`field` `op` `otherField`."
)


@strawberry.type(description=f"A condition of a template rule. {CONDITION}")
class TemplateCondition:
    all: list[TemplateCondition] | None = strawberry.field(description="Holds when every one of these holds.")
    any: list[TemplateCondition] | None = strawberry.field(description="Holds when one of these holds.")
    field: str | None = strawberry.field(description="The indicator code compared.")
    op: RuleOperator | None = strawberry.field(description="How it is compared.")
    boolean: bool | None = strawberry.field(description="The constant it is compared with: YES_NO.")
    number: float | None = strawberry.field(
        description="The constant it is compared with: NUMBER, MONEY, PERCENTAGE."
    )
    text: str | None = strawberry.field(
        description="The constant it is compared with: TEXT, CHOICE, or DATE as `YYYY-MM-DD`."
    )
    other_field: str | None = strawberry.field(description="The indicator whose value it is compared with.")

    @classmethod
    def of(cls, condition: Condition) -> TemplateCondition:
        return cls(
            all=[cls.of(part) for part in condition.all] if condition.all is not None else None,
            any=[cls.of(part) for part in condition.any] if condition.any is not None else None,
            field=condition.field,
            op=condition.op,
            **_typed(condition.value),
            other_field=condition.other_field,
        )


def _typed(value: bool | int | float | str | None) -> dict[str, Any]:
    """A constant in the typed field its kind takes (the template's checks made it an indicator's type)."""
    if isinstance(value, bool):
        return {"boolean": value, "number": None, "text": None}
    if isinstance(value, int | float):
        return {"boolean": None, "number": float(value), "text": None}
    return {"boolean": None, "number": None, "text": value}


@strawberry.type(
    description="A rule across fields: when `when` holds (always, without it), `require` must hold, else "
    "`reportSubmit` refuses with RULE_FAILED naming the value at fault (`Report.ruleViolations` shows it "
    "before). For `require`, the value named is the first failing comparison's `field`."
)
class TemplateRule:
    code: str = strawberry.field(description="The rule's code, unique in its template.")
    message: str = strawberry.field(description="What the author is told when a report breaks it.")
    when: TemplateCondition | None = strawberry.field(description="When it applies; null: always.")
    require: TemplateCondition = strawberry.field(description="What must then hold.")

    @classmethod
    def of(cls, rule: Rule) -> TemplateRule:
        return cls(
            code=rule.code,
            message=rule.message,
            when=TemplateCondition.of(rule.when) if rule.when else None,
            require=TemplateCondition.of(rule.require),
        )


@strawberry.input(description=f"A condition of a template rule. {CONDITION}")
class TemplateConditionInput:
    all: list[TemplateConditionInput] | None = strawberry.field(
        default=None, description="Holds when every one of these holds."
    )
    any: list[TemplateConditionInput] | None = strawberry.field(
        default=None, description="Holds when one of these holds."
    )
    field: str | None = strawberry.field(default=None, description="The indicator code compared.")
    op: RuleOperator | None = strawberry.field(default=None, description="How it is compared.")
    boolean: bool | None = strawberry.field(default=None, description="A constant for a YES_NO indicator.")
    number: float | None = strawberry.field(
        default=None, description="A constant for a NUMBER, MONEY or PERCENTAGE indicator."
    )
    text: str | None = strawberry.field(
        default=None, description="A constant for a TEXT or CHOICE indicator, or a DATE as `YYYY-MM-DD`."
    )
    other_field: str | None = strawberry.field(
        default=None, description="Another indicator to compare with, of a comparable type."
    )


@strawberry.input(description="A rule across fields of a new template version.")
class TemplateRuleInput:
    code: str = strawberry.field(description="Lowercase letters, digits and `_`, unique among the rules.")
    message: str = strawberry.field(description="What the author is told when a report breaks it (≤ 300).")
    when: TemplateConditionInput | None = strawberry.field(default=None, description="When it applies.")
    require: TemplateConditionInput = strawberry.field(description="What must then hold.")


def _constant(given: TemplateConditionInput, where: str) -> bool | int | float | str | None:
    """The one constant given, whichever typed field holds it; a whole number stays whole (MONEY)."""
    values = [value for value in (given.boolean, given.number, given.text) if value is not None]
    if len(values) > 1:
        raise template_refusal(
            TemplateErrorCode.INVALID_CONDITION, "give one of `boolean`, `number`, `text`", where
        )
    if not values:
        return None
    value = values[0]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def condition(given: TemplateConditionInput, where: str, depth: int = 1) -> Condition:
    """The domain condition; refuses nesting deeper than MAX_DEPTH before looking inside."""
    if depth > MAX_DEPTH:
        raise template_refusal(
            TemplateErrorCode.TOO_DEEP, f"conditions nest at most {MAX_DEPTH} levels", where
        )

    def parts(name: str, items: list[TemplateConditionInput] | None) -> list[Condition] | None:
        if items is None:
            return None
        return [condition(item, f"{where}.{name}.{i}", depth + 1) for i, item in enumerate(items)]

    return Condition(
        all=parts("all", given.all),
        any=parts("any", given.any),
        field=given.field,
        op=given.op,
        value=_constant(given, where),
        other_field=given.other_field,
    )


def rule(given: TemplateRuleInput, where: str) -> Rule:
    return Rule(
        code=given.code,
        message=given.message,
        when=condition(given.when, f"{where}.when") if given.when else None,
        require=condition(given.require, f"{where}.require"),
    )


@strawberry.type(description="A rule across fields of its template that a report breaks now.")
class RuleViolation:
    rule: str = strawberry.field(description="The rule's code (`TemplateRule.code`).")
    field: str = strawberry.field(description="The value at fault, as errors name it: `values.<indicator>`.")
    message: str = strawberry.field(description="The rule's message.")
