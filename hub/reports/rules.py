"""Rules across fields of a template, and their evaluation. PURE: no database, no clock, no I/O — the same
function decides on submit, for `Report.ruleViolations`, and (as the published definition) in clients.

A rule says: when a condition holds (or always, without `when`), another must hold too, else the report
breaks it, and the value at fault is named. A condition is a comparison of an indicator's value with a
constant (`value`) or with another indicator's value (`other_field`), a presence test, or `all` / `any` of
further conditions (at most MAX_DEPTH levels, MAX_NODES conditions per rule). Examples:

    "disbursed requires a signed NPHD":
        when {field: nphd_disbursed_percent, op: gt, value: 0}
        require {field: nphd_signed, op: eq, value: true}
    (the API gives a constant in the typed field of its kind: `number: 0`, `boolean: true`)
    "disbursed ≤ agreed":
        when {field: nphd_disbursed_amount, op: present}
        require {field: nphd_disbursed_amount, op: le, other_field: nphd_amount}

A comparison with a missing value does not hold: a `when` about an empty field does not apply, a `require`
that needs one fails (the rule cannot be checked without it).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from hub.reports.values import ValueType

MAX_RULES = 50
MAX_DEPTH = 4
MAX_NODES = 16
NUMERIC = frozenset({ValueType.NUMBER, ValueType.MONEY, ValueType.PERCENTAGE})
ORDERED = NUMERIC | {ValueType.DATE}


class RuleOp(StrEnum):
    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    PRESENT = "present"
    ABSENT = "absent"


PRESENCE = frozenset({RuleOp.PRESENT, RuleOp.ABSENT})
ORDERING = frozenset({RuleOp.LT, RuleOp.LE, RuleOp.GT, RuleOp.GE})
Scalar = bool | int | float | str


class Condition(BaseModel):
    """Either `all`, `any`, or a comparison of `field` by `op` with `value` or `other_field`."""

    all: list[Condition] | None = None
    any: list[Condition] | None = None
    field: str | None = None
    op: RuleOp | None = None
    value: Scalar | None = None
    other_field: str | None = None


class Rule(BaseModel):
    code: str
    message: str = Field(description="what the author is told when the report breaks it")
    when: Condition | None = None
    require: Condition


@dataclass(frozen=True)
class Violation:
    rule: str  # the rule's code
    field: str  # the indicator code at fault
    message: str


_COMPARISONS: dict[RuleOp, Callable[[Any, Any], Any]] = {
    RuleOp.EQ: operator.eq,
    RuleOp.NE: operator.ne,
    RuleOp.LT: operator.lt,
    RuleOp.LE: operator.le,
    RuleOp.GT: operator.gt,
    RuleOp.GE: operator.ge,
}


def _compare(op: RuleOp, left: Any, right: Any) -> bool:
    """Values of the kinds a template's validation allowed; anything else (true against 1) is unequal and
    unordered, never an error."""
    if isinstance(left, bool) != isinstance(right, bool):
        return op is RuleOp.NE
    try:
        return bool(_COMPARISONS[op](left, right))
    except TypeError:
        return op is RuleOp.NE


def holds(condition: Condition, values: Mapping[str, Any]) -> bool:
    """Whether the condition holds for these (stored, coerced) indicator values."""
    if condition.all is not None:
        return all(holds(part, values) for part in condition.all)
    if condition.any is not None:
        return any(holds(part, values) for part in condition.any)
    assert condition.field is not None and condition.op is not None
    given = values.get(condition.field)
    if condition.op is RuleOp.PRESENT:
        return given is not None
    if condition.op is RuleOp.ABSENT:
        return given is None
    other = values.get(condition.other_field) if condition.other_field is not None else condition.value
    if given is None or other is None:
        return False
    return _compare(condition.op, given, other)


def blamed_field(condition: Condition, values: Mapping[str, Any]) -> str:
    """The indicator to name when a required condition fails: the first failing comparison's field."""
    parts = condition.all if condition.all is not None else condition.any
    if parts is None:
        assert condition.field is not None
        return condition.field
    failing = [part for part in parts if not holds(part, values)] or parts
    return blamed_field(failing[0], values)


def violations(rules: list[Rule], values: Mapping[str, Any]) -> list[Violation]:
    """The rules these values break, in the template's order, each naming its field."""
    broken = []
    for rule in rules:
        if rule.when is not None and not holds(rule.when, values):
            continue
        if not holds(rule.require, values):
            broken.append(Violation(rule.code, blamed_field(rule.require, values), rule.message))
    return broken


def walk(condition: Condition, path: str) -> Iterator[tuple[Condition, str, int]]:
    """Every condition inside one, with its input path and depth (1: itself), iteratively, depth-first."""
    stack = [(condition, path, 1)]
    while stack:
        current, where, depth = stack.pop()
        yield current, where, depth
        for name in ("all", "any"):
            parts = getattr(current, name)
            if parts is not None and depth <= MAX_DEPTH:
                stack.extend(
                    (part, f"{where}.{name}.{i}", depth + 1) for i, part in reversed(list(enumerate(parts)))
                )
