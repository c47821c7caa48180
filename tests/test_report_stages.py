"""Reports and cases name the election stage they speak about; the election support status reads them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from hub.elections.models import ElectionKind, Stage
from hub.elections.services import create_election
from tests.conftest import Account
from tests.graphql import Client, global_id, gql_field_as, region_id
from tests.reports_helpers import COMPLETE_VALUES, CREATE, NARRATIVES, STEP, content
from tests.test_reports import fresh_period

SUPPORT = """query($e: ID!, $s: String!) { electionSupport(election: $e, stage: $s, filter: {region: "31"}) {
  nodes { region { code } reported nphdSigned } } }"""


async def _election() -> str:
    election, _ = await create_election(
        actor="user:reviewer",
        kind=ElectionKind.PILKADA,
        name=f"Pilkada Jakarta {uuid.uuid4().hex[:6]}",
        year=2026,
        region_codes=["31"],
        stages=[
            Stage(code="kampanye", name="Kampanye", starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 1))
        ],
    )
    return global_id("Election", election.id)


async def test_a_submitted_report_for_a_stage_feeds_the_support_status(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    election = await _election()
    operator = accounts["operator-31.74"].token
    year, quarter = fresh_period()
    given: dict[str, Any] = {
        **content(COMPLETE_VALUES, NARRATIVES),
        "election": election,
        "stageCode": "kampanye",
    }
    created = await gql_field_as(
        client_for,
        operator,
        CREATE,
        {
            "input": {
                "region": region_id("31.74"),
                "period": {"year": year, "quarter": quarter},
                "content": given,
            }
        },
    )
    assert created["errors"] == []
    before = await gql_field_as(
        client_for, accounts["reviewer"].token, SUPPORT, {"e": election, "s": "kampanye"}
    )
    row = next(node for node in before["nodes"] if node["region"]["code"] == "31.74")
    assert row == {
        "region": {"code": "31.74"},
        "reported": False,
        "nphdSigned": None,
    }  # a draft does not count

    await gql_field_as(
        client_for, operator, STEP["reportSubmit"], {"id": created["report"]["id"], "input": None}
    )
    after = await gql_field_as(
        client_for, accounts["reviewer"].token, SUPPORT, {"e": election, "s": "kampanye"}
    )
    row = next(node for node in after["nodes"] if node["region"]["code"] == "31.74")
    assert row == {"region": {"code": "31.74"}, "reported": True, "nphdSigned": False}


async def test_an_unknown_stage_is_refused(client_for: Client, accounts: dict[str, Account]) -> None:
    election = await _election()
    year, quarter = fresh_period()
    result = await gql_field_as(
        client_for,
        accounts["operator-31.74"].token,
        CREATE,
        {
            "input": {
                "region": region_id("31.74"),
                "period": {"year": year, "quarter": quarter},
                "content": {"election": election, "stageCode": "tidak-ada"},
            }
        },
    )
    assert [(error["field"], error["code"]) for error in result["errors"]] == [
        ("stageCode", "STAGE_NOT_FOUND")
    ]
