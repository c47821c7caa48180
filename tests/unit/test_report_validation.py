"""hub.reports.validation: each value type at its edges, and content checks that report every problem."""

from __future__ import annotations

import math
from typing import Any

import pytest

from hub.reports.errors import FieldProblem, ReportErrorCode
from hub.reports.models import Indicator, ReportType, Section, TemplateContent, ValueType
from hub.reports.validation import (
    MAX_NARRATIVE,
    MAX_TEXT,
    ValueProblem,
    check_complete,
    check_content,
    coerce,
)

E = ReportErrorCode


def indicator(value_type: ValueType, **options: Any) -> Indicator:
    return Indicator(code="x", label="X", value_type=value_type, **options)


@pytest.mark.parametrize(
    ("value_type", "raw", "stored"),
    [
        (ValueType.YES_NO, True, True),
        (ValueType.YES_NO, False, False),
        (ValueType.NUMBER, 0, 0),
        (ValueType.NUMBER, -2.5, -2.5),
        (ValueType.MONEY, 0, 0),
        (ValueType.MONEY, 1_500_000.0, 1_500_000),
        (ValueType.PERCENTAGE, 0, 0),
        (ValueType.PERCENTAGE, 100, 100),
        (ValueType.PERCENTAGE, 99.5, 99.5),
        (ValueType.TEXT, "  siap  ", "siap"),
        (ValueType.TEXT, "a" * MAX_TEXT, "a" * MAX_TEXT),
        (ValueType.DATE, "2024-02-29", "2024-02-29"),
    ],
)
def test_a_good_value_is_stored_in_its_normal_form(value_type: ValueType, raw: Any, stored: Any) -> None:
    value = coerce(indicator(value_type), raw)
    assert value == stored
    assert type(value) is type(stored)


@pytest.mark.parametrize(
    ("value_type", "raw", "message"),
    [
        (ValueType.YES_NO, 1, "must be true or false"),
        (ValueType.YES_NO, "true", "must be true or false"),
        (ValueType.NUMBER, True, "must be a number"),  # a bool is an int to Python, not to us
        (ValueType.NUMBER, "3", "must be a number"),
        (ValueType.NUMBER, math.nan, "must be a number"),
        (ValueType.NUMBER, math.inf, "must be a number"),
        (ValueType.MONEY, -1, "must be a whole, non-negative amount of rupiah"),
        (ValueType.MONEY, 10.5, "must be a whole, non-negative amount of rupiah"),
        (ValueType.PERCENTAGE, 100.01, "must be between 0 and 100"),
        (ValueType.PERCENTAGE, -0.01, "must be between 0 and 100"),
        (ValueType.TEXT, "", f"must be text of 1 to {MAX_TEXT} characters"),
        (ValueType.TEXT, " \n\t", f"must be text of 1 to {MAX_TEXT} characters"),
        (ValueType.TEXT, "a" * (MAX_TEXT + 1), f"must be text of 1 to {MAX_TEXT} characters"),
        (ValueType.TEXT, 12, f"must be text of 1 to {MAX_TEXT} characters"),
        (ValueType.DATE, "2025-02-29", "must be a date as YYYY-MM-DD"),
        (ValueType.DATE, "29/02/2024", "must be a date as YYYY-MM-DD"),
        (ValueType.DATE, 20240229, "must be a date as YYYY-MM-DD"),
    ],
)
def test_a_bad_value_is_refused_with_what_is_wrong(value_type: ValueType, raw: Any, message: str) -> None:
    with pytest.raises(ValueProblem) as refused:
        coerce(indicator(value_type), raw)
    assert str(refused.value) == message


def test_a_choice_must_be_one_of_the_listed_choices() -> None:
    status = indicator(ValueType.CHOICE, choices=["ready", "late"])
    assert coerce(status, "late") == "late"
    with pytest.raises(ValueProblem, match="must be one of: ready, late"):
        coerce(status, "Ready")
    with pytest.raises(ValueProblem, match=r"must be one of: $"):
        coerce(indicator(ValueType.CHOICE), "ready")  # no choices: nothing is valid


TEMPLATE = TemplateContent(
    type=ReportType.QUARTERLY,
    version=1,
    title="Quarterly",
    sections=[
        Section(
            code="situation",
            title="Situation",
            indicators=[
                Indicator(code="demos", label="Demonstrations", value_type=ValueType.NUMBER, required=True),
                Indicator(
                    code="team_decree",
                    label="Team decree",
                    value_type=ValueType.YES_NO,
                    evidence_required=True,
                ),
            ],
        ),
        Section(code="notes", title="Notes", narrative_required=False),
    ],
)


def test_empty_content_is_well_formed() -> None:
    assert check_content(TEMPLATE, {}, {}, {}) == ({}, [])


def test_content_checks_report_every_problem_at_once_and_coerce_the_rest() -> None:
    coerced, problems = check_content(
        TEMPLATE,
        narratives={"situation": "calm", "history": "…", "notes": "n" * (MAX_NARRATIVE + 1)},
        values={"demos": 2.0, "team_decree": "yes", "budget": 1, "skipped": None},
        evidence={"team_decree": ["doc"], "unknown": ["doc"]},
    )
    assert coerced == {"demos": 2.0}
    assert problems == [
        FieldProblem("narratives.history", E.UNKNOWN_FIELD, "no such section"),
        FieldProblem("narratives.notes", E.INVALID_VALUE, f"longer than {MAX_NARRATIVE}"),
        FieldProblem("values.team_decree", E.INVALID_VALUE, "must be true or false"),
        FieldProblem("values.budget", E.UNKNOWN_FIELD, "no such indicator"),
        FieldProblem("values.skipped", E.UNKNOWN_FIELD, "no such indicator"),
        FieldProblem("evidence.unknown", E.UNKNOWN_FIELD, "no such indicator"),
    ]


def test_a_narrative_of_the_maximum_length_and_a_cleared_value_pass() -> None:
    coerced, problems = check_content(
        TEMPLATE, {"notes": "n" * MAX_NARRATIVE}, {"demos": None, "team_decree": False}, {}
    )
    assert (coerced, problems) == ({"team_decree": False}, [])


def test_submitting_needs_the_required_narratives_values_and_evidence() -> None:
    assert check_complete(TEMPLATE, {"situation": "  "}, {"team_decree": True}, {"team_decree": []}) == [
        FieldProblem("narratives.situation", E.REQUIRED, "'Situation' needs a narrative"),
        FieldProblem("values.demos", E.REQUIRED, "'Demonstrations' is required"),
        FieldProblem(
            "evidence.team_decree", E.EVIDENCE_REQUIRED, "'Team decree' needs a supporting document"
        ),
    ]


def test_complete_content_passes_and_a_denied_claim_needs_no_evidence() -> None:
    # `notes` needs no narrative; a required value of 0 is present; `false` claims nothing to prove.
    assert check_complete(TEMPLATE, {"situation": "calm"}, {"demos": 0, "team_decree": False}, {}) == []
    assert (
        check_complete(
            TEMPLATE, {"situation": "calm"}, {"demos": 3, "team_decree": True}, {"team_decree": ["d"]}
        )
        == []
    )


def test_an_empty_template_asks_for_nothing() -> None:
    empty = TemplateContent(type=ReportType.INCIDENT, version=1, title="Empty", sections=[])
    assert check_complete(empty, {}, {}, {}) == []
