"""Schema-driven fuzzing: operations generated from the exported SDL (every query and mutation field, with
arguments drawn from the input types), sent through the app as an admin, an operator and a partner grant. No
answer may be an HTTP 5xx or carry an INTERNAL_ERROR: every refusal a client can provoke is a typed error.

The budget is fixed and the generation derandomized, so each run sends the same operations. Ids are drawn
from a pool that mixes records of the fuzz's own region (province 82, which no other test uses: the admin's
mutations may change them), global ids of unknown and of non-Node types, malformed ones and well-formed ids
of nothing. Users' and regions' ids outside that region are never drawn, so no other test's data changes.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import graphql
import pytest
from beanie import PydanticObjectId
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from hub.access.grants import create_grant
from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.settings import Settings
from tests.case_factories import make_document, make_report
from tests.conftest import TEST_PASSWORD, Account
from tests.graphql import Client, global_id, region_id

SDL = (Path(__file__).resolve().parents[1] / "schema.graphql").read_text()
FUZZ_PROVINCE = "82"
FUZZ_REGENCY = "82.01"
# Operations per principal and kind: fixed, so every run sends the same ones (about 40 s in all here).
QUERIES_PER_PRINCIPAL = 80
MUTATIONS_PER_PRINCIPAL = 80
PARTNER_FIELDS = ["Report.title", "Report.status", "Case.title", "Document.fileName", "Document.downloadUrl"]


@dataclass(frozen=True)
class FuzzWorld:
    tokens: dict[str, str]
    ids: tuple[str, ...]


def _id_pool(own: list[str]) -> list[str]:
    """Global ids of the fuzz's own records, then ids a careless or hostile client sends."""
    return [
        *own,
        region_id(FUZZ_REGENCY),
        region_id(FUZZ_PROVINCE),
        region_id("99.99"),
        global_id("Report", PydanticObjectId()),
        global_id("Case", "not-an-object-id"),
        global_id("Nope", "1"),  # no such type
        global_id("ReportPayload", "1"),  # a type that is not a Node
        global_id("PageInfo", str(PydanticObjectId())),
        global_id("DocumentUpload", PydanticObjectId()),
        "bm90LWEtZ2xvYmFsLWlk",  # base64 without a type separator
        "!!!",
        "",
    ]


def _scalars(ids: tuple[str, ...]) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    times = st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ).map(lambda moment: nodes.String(moment.isoformat()))
    text = st.sampled_from(["", "x", "31.74", "{}", "null"]).map(nodes.String)
    return {
        "ID": st.sampled_from(ids).map(nodes.String),
        "DateTime": st.one_of(times, text),
        "Date": st.one_of(st.dates().map(lambda day: nodes.String(day.isoformat())), text),
        "JSON": st.one_of(text, st.integers(-5, 5).map(nodes.Int)),
        # Codes in scope and out, unknown, malformed, and values of the wrong type.
        "RegionCode": st.one_of(
            st.sampled_from(["ID", "31", "31.74", "11.01", "99", "31.74.01", "x", "", "ID.31"]).map(
                nodes.String
            ),
            st.integers(-5, 5).map(nodes.Int),
        ),
        "GeoJSON": st.one_of(text, st.just(nodes.Object([]))),
        # Outside a multipart request an Upload can only be given a JSON value.
        "Upload": st.one_of(text, st.just(nodes.Object([]))),
    }


def _draw(strategy: st.SearchStrategy[str], count: int) -> list[str]:
    """`count` documents from `strategy`, the same ones on every run."""
    drawn: list[str] = []

    @settings(
        derandomize=True,
        database=None,
        max_examples=count,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(document: str) -> None:
        drawn.append(document)

    collect()
    return drawn


@functools.cache
def operations(ids: tuple[str, ...], count: int, kind: str) -> list[str]:
    make: Callable[..., st.SearchStrategy[str]] = queries if kind == "query" else mutations
    return _draw(make(SDL, custom_scalars=_scalars(ids)), count)


@pytest.fixture(scope="module")
async def fuzz_world(seeded: Clients, settings: Settings, accounts: dict[str, Account]) -> FuzzWorld:
    operator = f"fuzz-op-{uuid.uuid4().hex[:6]}"
    await create_user(username=operator, password=TEST_PASSWORD, role=Role.OPERATOR, region_code=FUZZ_REGENCY)
    spare = await create_user(
        username=f"fuzz-spare-{uuid.uuid4().hex[:6]}",
        password=TEST_PASSWORD,
        role=Role.OPERATOR,
        region_code=FUZZ_REGENCY,
    )
    grant = await create_grant(
        actor="user:admin",
        agency="Bawaslu",
        region_roots=[FUZZ_PROVINCE],
        fields=PARTNER_FIELDS,
        expires_at=utcnow() + timedelta(days=1),
    )
    report = await make_report(FUZZ_REGENCY)
    own = [
        global_id("Report", report.id),
        global_id("User", spare.id),
        await make_document(seeded, FUZZ_REGENCY),
        global_id("PartnerGrant", grant.grant.id),
    ]
    tokens = {
        "admin": accounts["admin"].token,
        "operator": (await login(settings, operator, TEST_PASSWORD)).access_token,
        "partner": grant.token,
    }
    return FuzzWorld(tokens=tokens, ids=tuple(_id_pool(own)))


def _failures(document: str, status: int, body: str) -> list[str]:
    if status >= 500:
        return [f"HTTP {status} for {document}"]
    try:
        answer = json.loads(body)
    except ValueError:
        return [f"HTTP {status}, not JSON, for {document}"]
    errors = answer.get("errors") or [] if isinstance(answer, dict) else []
    return [
        f"{error.get('message')} at {error.get('path')} for {document}"
        for error in errors
        if (error.get("extensions") or {}).get("code") == "INTERNAL_ERROR"
    ]


@pytest.mark.parametrize("who", ["admin", "operator", "partner"])
async def test_no_generated_operation_fails_inside(
    who: str, fuzz_world: FuzzWorld, client_for: Client
) -> None:
    documents = [
        *operations(fuzz_world.ids, QUERIES_PER_PRINCIPAL, "query"),
        *operations(fuzz_world.ids, MUTATIONS_PER_PRINCIPAL, "mutation"),
    ]
    failures: list[str] = []
    async with client_for(fuzz_world.tokens[who]) as client:
        for document in documents:
            response = await client.post("/graphql", json={"query": document})
            failures.extend(_failures(document, response.status_code, response.text))
    assert len(documents) == QUERIES_PER_PRINCIPAL + MUTATIONS_PER_PRINCIPAL
    assert failures == [], f"{len(failures)} of {len(documents)} failed inside:\n" + "\n".join(failures[:15])
