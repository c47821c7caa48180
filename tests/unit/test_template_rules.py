"""The pure core of rules across fields (hub.reports.rules) and of template checks
(hub.reports.template_checks), without any service."""

from __future__ import annotations

from typing import Any

import pytest

from hub.reports.errors import TemplateErrorCode as Code
from hub.reports.models import Indicator, ReportType, Section, TemplateContent, ValueType
from hub.reports.rules import MAX_DEPTH, MAX_NODES, MAX_RULES, Condition, Rule, holds, violations
from hub.reports.template_checks import check_template
from hub.reports.templates import QUARTERLY_V1
from hub.reports.validation import check_rules

SIGNED_WHEN_DISBURSED = Rule(
    code="signed_when_disbursed",
    message="Hibah yang dicairkan memerlukan NPHD yang ditandatangani.",
    when=Condition(field="nphd_disbursed_percent", op="gt", value=0),
    require=Condition(field="nphd_signed", op="eq", value=True),
)
DISBURSED_WITHIN_AGREED = Rule(
    code="disbursed_within_agreed",
    message="Nilai yang dicairkan tidak boleh melebihi nilai NPHD.",
    when=Condition(field="nphd_disbursed_amount", op="present"),
    require=Condition(field="nphd_disbursed_amount", op="le", other_field="nphd_amount"),
)


def _template(*rules: Rule, extra: list[Indicator] | None = None) -> TemplateContent:
    sections = [section.model_copy(deep=True) for section in QUARTERLY_V1.sections]
    sections[3].indicators.append(
        Indicator(code="nphd_disbursed_amount", label="Nilai dicairkan (Rp)", value_type=ValueType.MONEY)
    )
    sections[3].indicators.extend(extra or [])
    return TemplateContent(
        type=ReportType.QUARTERLY,
        version=2,
        title="Laporan Triwulan v2",
        sections=sections,
        rules=list(rules),
    )


@pytest.mark.parametrize(
    ("values", "broken"),
    [
        ({}, []),  # nothing disbursed: the rule does not apply
        ({"nphd_disbursed_percent": 0, "nphd_signed": False}, []),
        ({"nphd_disbursed_percent": 40, "nphd_signed": True}, []),
        ({"nphd_disbursed_percent": 40, "nphd_signed": False}, [("signed_when_disbursed", "nphd_signed")]),
        ({"nphd_disbursed_percent": 40}, [("signed_when_disbursed", "nphd_signed")]),  # missing: not met
        ({"nphd_disbursed_amount": 5, "nphd_amount": 5}, []),
        (
            {"nphd_disbursed_amount": 6, "nphd_amount": 5},
            [("disbursed_within_agreed", "nphd_disbursed_amount")],
        ),
        ({"nphd_disbursed_amount": 6}, [("disbursed_within_agreed", "nphd_disbursed_amount")]),
    ],
)
def test_the_two_example_rules(values: dict[str, Any], broken: list[tuple[str, str]]) -> None:
    found = violations([SIGNED_WHEN_DISBURSED, DISBURSED_WITHIN_AGREED], values)
    assert [(v.rule, v.field) for v in found] == broken


def test_groups_and_the_field_named() -> None:
    either = Condition(any=[Condition(field="a", op="ge", value=10), Condition(field="b", op="present")])
    both = Condition(all=[Condition(field="a", op="present"), Condition(field="b", op="eq", value="x")])
    rule = Rule(code="r", message="m", require=both)
    assert holds(either, {"a": 10}) and holds(either, {"b": "y"}) and not holds(either, {"a": 9})
    assert [(v.field, v.message) for v in violations([rule], {"a": 1, "b": "y"})] == [("b", "m")]
    assert [v.field for v in violations([rule], {"b": "x"})] == ["a"]
    # Values of kinds a template never compares are unequal and unordered, never an error.
    assert holds(Condition(field="a", op="ne", value=1), {"a": True})
    assert not holds(Condition(field="a", op="lt", value="2026-01-01"), {"a": 5})


def test_submit_problems_name_the_value_at_fault() -> None:
    template = _template(SIGNED_WHEN_DISBURSED)
    problems = check_rules(template, {"nphd_disbursed_percent": 10, "nphd_signed": False})
    assert [(p.field, p.code.value) for p in problems] == [("values.nphd_signed", "RULE_FAILED")]
    assert "signed_when_disbursed" in problems[0].message


def test_a_well_made_template_passes_and_values_are_stored_as_reports_store_them() -> None:
    rule = Rule(
        code="r", message="m", require=Condition(field="logistics_delivered_on", op="ge", value="2026-1-5")
    )
    assert [p.code for p in check_template(_template(rule))] == [Code.TYPE_MISMATCH]  # not YYYY-MM-DD
    fine = _template(SIGNED_WHEN_DISBURSED, DISBURSED_WITHIN_AGREED)
    assert check_template(fine) == []


def _problems(rule: Rule) -> list[tuple[str | None, Code]]:
    return [(p.field, p.code) for p in check_template(_template(rule))]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (Condition(field="nowhere", op="eq", value=1), [("rules.0.require.field", Code.UNKNOWN_FIELD)]),
        (
            Condition(field="nphd_amount", op="le", other_field="nowhere"),
            [("rules.0.require.otherField", Code.UNKNOWN_FIELD)],
        ),
        (Condition(field="nphd_signed", op="eq", value=3), [("rules.0.require.number", Code.TYPE_MISMATCH)]),
        (Condition(field="nphd_signed", op="lt", value=True), [("rules.0.require.op", Code.TYPE_MISMATCH)]),
        (
            Condition(field="nphd_amount", op="le", other_field="nphd_signed"),
            [("rules.0.require.otherField", Code.TYPE_MISMATCH)],
        ),
        (
            Condition(field="conflict_potential", op="eq", value="ekstrem"),
            [("rules.0.require.text", Code.TYPE_MISMATCH)],
        ),
        (Condition(field="nphd_amount", op="le"), [("rules.0.require", Code.INVALID_CONDITION)]),
        (
            Condition(field="nphd_amount", op="present", value=1),
            [("rules.0.require", Code.INVALID_CONDITION)],
        ),
        (Condition(all=[]), [("rules.0.require", Code.INVALID_CONDITION)]),
        (Condition(field="nphd_amount"), [("rules.0.require", Code.INVALID_CONDITION)]),
    ],
)
def test_bad_conditions_are_named(condition: Condition, expected: list[tuple[str, Code]]) -> None:
    assert _problems(Rule(code="r", message="m", require=condition)) == expected


def test_limits() -> None:
    deep = Condition(field="nphd_amount", op="present")
    for _ in range(MAX_DEPTH + 50):
        deep = Condition(all=[deep])
    problems = _problems(Rule(code="r", message="m", require=deep))
    assert problems == [("rules.0.require" + ".all.0" * MAX_DEPTH, Code.TOO_DEEP)]
    wide = Condition(all=[Condition(field="nphd_amount", op="present") for _ in range(MAX_NODES)])
    assert _problems(Rule(code="r", message="m", require=wide)) == [("rules.0.require", Code.TOO_LARGE)]
    many = [
        Rule(code=f"r{n}", message="m", require=Condition(field="nphd_amount", op="present"))
        for n in range(MAX_RULES + 1)
    ]
    assert [(p.field, p.code) for p in check_template(_template(*many))] == [("rules", Code.TOO_LARGE)]


def test_codes_texts_and_choices() -> None:
    duplicate = Indicator(code="nphd_amount", label="Lagi", value_type=ValueType.NUMBER)
    bad_choice = Indicator(code="level", label="Tingkat", value_type=ValueType.CHOICE, choices=["a", "a"])
    stray = Indicator(code="jumlah", label="Jumlah", value_type=ValueType.NUMBER, choices=["1"])
    named = Indicator(code="General", label=" ", value_type=ValueType.TEXT)
    template = _template(extra=[duplicate, bad_choice, stray, named])
    base = len(template.sections[3].indicators) - 4
    assert [(p.field, p.code) for p in check_template(template)] == [
        (f"sections.3.indicators.{base}.code", Code.DUPLICATE_CODE),
        (f"sections.3.indicators.{base + 1}.choices", Code.INVALID_CHOICES),
        (f"sections.3.indicators.{base + 2}.choices", Code.INVALID_CHOICES),
        (f"sections.3.indicators.{base + 3}.code", Code.INVALID_CODE),
        (f"sections.3.indicators.{base + 3}.label", Code.INVALID_TEXT),
    ]
    empty = TemplateContent(
        type=ReportType.INCIDENT, version=2, title="x", sections=[Section(code="a", title="A")] * 31
    )
    assert [(p.field, p.code) for p in check_template(empty)] == [("sections", Code.TOO_LARGE)]
