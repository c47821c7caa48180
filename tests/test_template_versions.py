"""Template management and rules across fields, walked through GraphQL: an admin creates the next version of
the quarterly template with rules ("disbursed requires a signed NPHD", "disbursed ≤ agreed"); clients read the
rules; reports made before keep their version; a report on the new version sees its violations while it is
edited and is refused on submit with the value named; other roles and partners are refused; hostile
templates (unknown fields, type mismatches, deep nesting, too many rules) are refused with typed errors,
writing nothing.

The new version becomes the current one for every test after it in the session (one database), so the module
removes what it made when it ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from hub.access.grants import create_grant
from hub.audit.models import AuditEntry
from hub.core.clock import utcnow
from hub.reports.models import Report, ReportTemplate
from hub.reports.templates import QUARTERLY_V1
from tests.conftest import Account
from tests.graphql import Client, error_code, gql_as, gql_field_as, post_as, raw_id
from tests.reports_helpers import (
    COMPLETE_VALUES,
    NARRATIVES,
    STEP,
    UPDATE,
    content,
    create_report,
    uploaded_document,
)
from tests.test_reports import fresh_period

CREATE = """mutation($input: TemplateVersionCreateInput!) { templateVersionCreate(input: $input) {
  template { type version rules { code message when { field op boolean number text otherField }
    require { field op boolean number text otherField all { field } } } sections { code } }
  errors { field code message } } }"""
TEMPLATE = """query($v: Int) { reportTemplate(type: QUARTERLY, version: $v) { version rules { code } } }"""
VERSIONS = """{ reportTemplateVersions(type: QUARTERLY, first: 10) { totalCount nodes { version } } }"""
VIOLATIONS = """query($id: ID!) { node(id: $id) { ... on Report { templateVersion ruleViolations {
  rule field message } } } }"""
RULES = [
    {
        "code": "signed_when_disbursed",
        "message": "Hibah yang dicairkan memerlukan NPHD yang ditandatangani.",
        "when": {"field": "nphd_disbursed_percent", "op": "GT", "number": 0},
        "require": {"field": "nphd_signed", "op": "EQ", "boolean": True},
    },
    {
        "code": "disbursed_within_agreed",
        "message": "Nilai yang dicairkan tidak boleh melebihi nilai NPHD.",
        "when": {"field": "nphd_disbursed_amount", "op": "PRESENT"},
        "require": {"field": "nphd_disbursed_amount", "op": "LE", "otherField": "nphd_amount"},
    },
]


def _sections(extra: bool = True) -> list[dict[str, Any]]:
    sections = []
    for section in QUARTERLY_V1.sections:
        indicators = [
            {
                "code": i.code,
                "label": i.label,
                "valueType": i.value_type.name,
                "required": i.required,
                "evidenceRequired": i.evidence_required,
                "choices": i.choices,
            }
            for i in section.indicators
        ]
        if extra and section.code == "government_support":
            indicators.append(
                {"code": "nphd_disbursed_amount", "label": "Nilai dicairkan (Rp)", "valueType": "MONEY"}
            )
        sections.append(
            {
                "code": section.code,
                "title": section.title,
                "narrativeRequired": section.narrative_required,
                "indicators": indicators,
            }
        )
    return sections


def _input(rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "input": {
            "type": "QUARTERLY",
            "title": "Laporan Triwulan (versi aturan)",
            "sections": _sections(),
            "rules": rules,
        }
    }


@pytest.fixture(scope="module")
async def cleanup() -> AsyncIterator[None]:
    """Removes the versions this module creates, and the reports made on them, when it ends."""
    yield
    made = [
        t.version for t in await ReportTemplate.find({"type": "quarterly", "version": {"$gt": 1}}).to_list()
    ]
    await Report.find({"type": "quarterly", "template_version": {"$in": made}}).delete()
    await ReportTemplate.find({"type": "quarterly", "version": {"$in": made}}).delete()


def _codes(result: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in result["errors"]]


async def test_hostile_templates_are_refused_and_write_nothing(
    client_for: Client, accounts: dict[str, Account], cleanup: None
) -> None:
    admin = accounts["admin"].token
    before = await ReportTemplate.count()
    deep: dict[str, Any] = {"field": "nphd_amount", "op": "PRESENT"}
    for _ in range(60):
        deep = {"all": [deep]}
    present = {"field": "nphd_amount", "op": "PRESENT"}
    cases = [
        (
            [{**RULES[0], "require": {"field": "nphd_signedd", "op": "EQ", "boolean": True}}],
            [("rules.0.require.field", "UNKNOWN_FIELD")],
        ),
        (
            [
                {
                    **RULES[1],
                    "require": {"field": "nphd_disbursed_amount", "op": "LE", "otherField": "nphd_signed"},
                }
            ],
            [("rules.0.require.otherField", "TYPE_MISMATCH")],
        ),
        (
            [{**RULES[0], "require": {"field": "nphd_signed", "op": "EQ", "text": "ya"}}],
            [("rules.0.require.text", "TYPE_MISMATCH")],
        ),
        (
            [{**RULES[0], "require": {"field": "nphd_signed", "op": "EQ", "boolean": True, "number": 1}}],
            [("rules.0.require", "INVALID_CONDITION")],
        ),
        (
            [{"code": "deep", "message": "m", "require": deep}],
            [("rules.0.require" + ".all.0" * 4, "TOO_DEEP")],
        ),
        (
            [{"code": f"r{n}", "message": "m", "require": present} for n in range(51)],
            [("rules", "TOO_LARGE")],
        ),
        ([RULES[0], {**RULES[1], "code": RULES[0]["code"]}], [("rules.1.code", "DUPLICATE_CODE")]),
    ]
    # Deeper than any template needs: refused by the hub's limit on nested variables, before any resolver.
    for _ in range(300):
        deep = {"all": [deep]}
    nested = await post_as(
        client_for, admin, CREATE, _input([{"code": "d", "message": "m", "require": deep}])
    )
    assert nested["data"] is None and error_code(nested) == "GRAPHQL_VALIDATION_FAILED"
    for rules, expected in cases:
        result = await gql_field_as(client_for, admin, CREATE, _input(rules))
        assert _codes(result) == expected
        assert result["template"] is None
    assert await ReportTemplate.count() == before


async def test_only_admins_manage_templates(
    client_for: Client, accounts: dict[str, Account], cleanup: None
) -> None:
    grant = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=["Report.title"],
        expires_at=utcnow() + timedelta(days=2),
    )
    before = await ReportTemplate.count()
    for token in (accounts["reviewer"].token, accounts["operator-31.74"].token, grant.token, None):
        for query, variables in ((CREATE, _input(RULES)), (VERSIONS, {})):
            body = await post_as(client_for, token, query, variables)
            assert body["data"] is None
            # Partners are refused by their guard (no argument of it is open to grants) before the permission.
            assert error_code(body) in {"PERMISSION_DENIED", "UNAUTHENTICATED", "FIELD_NOT_GRANTED"}
    assert await ReportTemplate.count() == before


async def test_a_new_version_with_rules_as_its_users_meet_it(
    client_for: Client, accounts: dict[str, Account], cleanup: None
) -> None:
    admin, operator = accounts["admin"].token, accounts["operator-31.74"].token
    year, quarter = fresh_period()
    older = await create_report(
        client_for, operator, "31.74", year, quarter, content(COMPLETE_VALUES, NARRATIVES)
    )
    assert older["id"]

    audited = await AuditEntry.find({"action": "template.version_create"}).count()
    created = await gql_field_as(client_for, admin, CREATE, _input(RULES))
    assert created["errors"] == []
    assert (
        await AuditEntry.find({"action": "template.version_create", "actor": "user:admin"}).count()
        == audited + 1
    )
    template = created["template"]
    version = template["version"]
    assert version >= 2
    assert template["rules"][1] == {
        "code": "disbursed_within_agreed",
        "message": RULES[1]["message"],
        "when": {
            "field": "nphd_disbursed_amount",
            "op": "PRESENT",
            "boolean": None,
            "number": None,
            "text": None,
            "otherField": None,
        },
        "require": {
            "field": "nphd_disbursed_amount",
            "op": "LE",
            "boolean": None,
            "number": None,
            "text": None,
            "otherField": "nphd_amount",
            "all": None,
        },
    }
    # Clients read the rules of the current version; the first version is unchanged.
    current = (await gql_as(client_for, operator, TEMPLATE, {"v": None}))["reportTemplate"]
    assert current["version"] == version and [r["code"] for r in current["rules"]] == [
        r["code"] for r in RULES
    ]
    assert (await gql_as(client_for, operator, TEMPLATE, {"v": 1}))["reportTemplate"] == {
        "version": 1,
        "rules": [],
    }
    listed = (await gql_as(client_for, admin, VERSIONS))["reportTemplateVersions"]
    assert [n["version"] for n in listed["nodes"]][:2] == [version, version - 1]

    # The report made before keeps its version: no rule applies to it, it submits as before.
    kept = await gql_field_as(
        client_for,
        operator,
        UPDATE,
        {"id": older["id"], "input": {"content": content({"nphd_disbursed_percent": 40})}},
    )
    assert kept["errors"] == []
    assert (await gql_as(client_for, operator, VIOLATIONS, {"id": older["id"]}))["node"] == {
        "templateVersion": 1,
        "ruleViolations": [],
    }
    submitted = await gql_field_as(
        client_for, operator, STEP["reportSubmit"], {"id": older["id"], "input": None}
    )
    assert submitted["errors"] == []

    year, quarter = fresh_period()
    values = {
        **COMPLETE_VALUES,
        "nphd_disbursed_percent": 40,
        "nphd_amount": 1_000_000,
        "nphd_disbursed_amount": 2_000_000,
    }
    draft = await create_report(client_for, operator, "31.74", year, quarter, content(values, NARRATIVES))
    seen = (await gql_as(client_for, operator, VIOLATIONS, {"id": draft["id"]}))["node"]
    assert seen["templateVersion"] == version
    assert [(v["rule"], v["field"]) for v in seen["ruleViolations"]] == [
        ("signed_when_disbursed", "values.nphd_signed"),
        ("disbursed_within_agreed", "values.nphd_disbursed_amount"),
    ]
    refused = await gql_field_as(
        client_for, operator, STEP["reportSubmit"], {"id": draft["id"], "input": None}
    )
    assert _codes(refused) == [
        ("values.nphd_signed", "RULE_FAILED"),
        ("values.nphd_disbursed_amount", "RULE_FAILED"),
    ]
    stored = await Report.get(raw_id(draft["id"]))
    assert stored is not None and stored.status.value == "draft"

    document = await uploaded_document(client_for, operator, "31.74")
    fixed = await gql_field_as(
        client_for,
        operator,
        UPDATE,
        {
            "id": draft["id"],
            "input": {
                "content": content(
                    {"nphd_signed": True, "nphd_disbursed_amount": 500_000},
                    evidence={"nphd_signed": [document]},
                )
            },
        },
    )
    assert fixed["errors"] == []
    done = await gql_field_as(client_for, operator, STEP["reportSubmit"], {"id": draft["id"], "input": None})
    assert done["errors"] == [] and done["report"]["status"] == "SUBMITTED"
