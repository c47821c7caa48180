"""Whether a new template version is well made: codes, texts, choices, sizes, and rules that name known
indicators with operators and values of their types. PURE: no database; every problem is named by its input
path (`rules.0.require.otherField`) so the admin's client can point at it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hub.reports.errors import TemplateErrorCode as Code
from hub.reports.errors import TemplateProblem
from hub.reports.models import Indicator, TemplateContent, ValueType
from hub.reports.rules import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_RULES,
    NUMERIC,
    ORDERED,
    ORDERING,
    PRESENCE,
    Condition,
    Rule,
    walk,
)
from hub.reports.validation import ValueProblem, coerce

CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_SECTIONS = 30
MAX_INDICATORS = 200
MAX_CHOICES = 50
MAX_TITLE = 200
MAX_MESSAGE = 300
RESERVED = frozenset({"general"})  # a return reason's target for the report as a whole


def check_sizes(sections: int, indicators: int, rules: int) -> list[TemplateProblem]:
    """The counts, checked before anything else is looked at."""
    problems = []
    if not 1 <= sections <= MAX_SECTIONS:
        problems.append(TemplateProblem("sections", Code.TOO_LARGE, f"1 to {MAX_SECTIONS} sections"))
    if indicators > MAX_INDICATORS:
        problems.append(TemplateProblem("sections", Code.TOO_LARGE, f"at most {MAX_INDICATORS} indicators"))
    if rules > MAX_RULES:
        problems.append(TemplateProblem("rules", Code.TOO_LARGE, f"at most {MAX_RULES} rules"))
    return problems


def _text(value: str, where: str, limit: int) -> Iterator[TemplateProblem]:
    if not value.strip() or len(value) > limit:
        yield TemplateProblem(where, Code.INVALID_TEXT, f"1 to {limit} characters")


def _code(value: str, where: str, seen: set[str]) -> Iterator[TemplateProblem]:
    if not CODE.fullmatch(value) or value in RESERVED:
        yield TemplateProblem(
            where, Code.INVALID_CODE, "lowercase letters, digits and `_`, 1 to 40, not `general`"
        )
    elif value in seen:
        yield TemplateProblem(where, Code.DUPLICATE_CODE, f"`{value}` is used twice")
    seen.add(value)


def _indicator(indicator: Indicator, where: str, seen: set[str]) -> Iterator[TemplateProblem]:
    yield from _code(indicator.code, f"{where}.code", seen)
    yield from _text(indicator.label, f"{where}.label", MAX_TITLE)
    choices = indicator.choices
    if indicator.value_type is ValueType.CHOICE:
        valid = choices and len(choices) <= MAX_CHOICES and len(set(choices)) == len(choices)
        if not valid or any(not choice.strip() or len(choice) > MAX_TITLE for choice in choices or []):
            yield TemplateProblem(
                f"{where}.choices", Code.INVALID_CHOICES, f"1 to {MAX_CHOICES} distinct choices"
            )
    elif choices is not None:
        yield TemplateProblem(f"{where}.choices", Code.INVALID_CHOICES, "only CHOICE indicators have choices")


def _comparable(left: ValueType, right: ValueType) -> bool:
    return (left in NUMERIC and right in NUMERIC) or left is right


def _kind(value: object) -> str:
    """The input field a constant came in (schema.reports.template_rules): how problems name it."""
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, int | float) else "text"


def _leaf(condition: Condition, where: str, template: TemplateContent) -> Iterator[TemplateProblem]:
    if condition.field is None or condition.op is None:
        yield TemplateProblem(
            where, Code.INVALID_CONDITION, "a condition has `all`, `any`, or `field` and `op`"
        )
        return
    indicator = template.indicator(condition.field)
    if indicator is None:
        yield TemplateProblem(f"{where}.field", Code.UNKNOWN_FIELD, f"no indicator `{condition.field}`")
        return
    kind = indicator.value_type
    given = (condition.value is not None) + (condition.other_field is not None)
    if condition.op in PRESENCE:
        if given:
            yield TemplateProblem(
                where, Code.INVALID_CONDITION, f"`{condition.op.value}` compares with nothing"
            )
        return
    if given != 1:
        yield TemplateProblem(
            where, Code.INVALID_CONDITION, "compare with exactly one of a constant, `otherField`"
        )
        return
    if condition.op in ORDERING and kind not in ORDERED:
        yield TemplateProblem(f"{where}.op", Code.TYPE_MISMATCH, f"a {kind.value} value has no order")
    if condition.other_field is not None:
        other = template.indicator(condition.other_field)
        if other is None:
            yield TemplateProblem(
                f"{where}.otherField", Code.UNKNOWN_FIELD, f"no indicator `{condition.other_field}`"
            )
        elif not _comparable(kind, other.value_type):
            yield TemplateProblem(
                f"{where}.otherField",
                Code.TYPE_MISMATCH,
                f"a {kind.value} is not compared with a {other.value_type.value}",
            )
        return
    try:
        condition.value = coerce(indicator, condition.value)  # stored as reports store values
    except ValueProblem as problem:
        yield TemplateProblem(
            f"{where}.{_kind(condition.value)}", Code.TYPE_MISMATCH, f"`{condition.field}` {problem}"
        )


def _condition(condition: Condition, where: str, template: TemplateContent) -> Iterator[TemplateProblem]:
    for count, (part, path, depth) in enumerate(walk(condition, where), start=1):
        if depth > MAX_DEPTH:
            yield TemplateProblem(path, Code.TOO_DEEP, f"conditions nest at most {MAX_DEPTH} levels")
            return
        if count > MAX_NODES:
            yield TemplateProblem(where, Code.TOO_LARGE, f"at most {MAX_NODES} conditions per rule")
            return
        groups = (part.all is not None) + (part.any is not None)
        if groups:
            leafish = part.field is not None or part.op is not None
            if groups > 1 or leafish or not (part.all or part.any):
                yield TemplateProblem(path, Code.INVALID_CONDITION, "a group is one non-empty `all` or `any`")
        else:
            yield from _leaf(part, path, template)


def _rule(rule: Rule, where: str, template: TemplateContent, seen: set[str]) -> Iterator[TemplateProblem]:
    yield from _code(rule.code, f"{where}.code", seen)
    yield from _text(rule.message, f"{where}.message", MAX_MESSAGE)
    if rule.when is not None:
        yield from _condition(rule.when, f"{where}.when", template)
    yield from _condition(rule.require, f"{where}.require", template)


def check_template(template: TemplateContent) -> list[TemplateProblem]:
    """Every problem of a template version, in input order; empty when it may be created."""
    indicators = sum(len(section.indicators) for section in template.sections)
    problems = check_sizes(len(template.sections), indicators, len(template.rules))
    if problems:
        return problems
    problems += _text(template.title, "title", MAX_TITLE)
    codes: set[str] = set()
    for s, section in enumerate(template.sections):
        problems += _code(section.code, f"sections.{s}.code", codes)
        problems += _text(section.title, f"sections.{s}.title", MAX_TITLE)
        for i, indicator in enumerate(section.indicators):
            problems += _indicator(indicator, f"sections.{s}.indicators.{i}", codes)
    rule_codes: set[str] = set()
    for r, rule in enumerate(template.rules):
        problems += _rule(rule, f"rules.{r}", template, rule_codes)
    return problems
