"""GraphQL over HTTP: the graphql-http server audit run for real against a `pantau serve` process (node, with
the pinned packages of infra/graphiql), the media types and status codes it checks, and the SDL served at
/graphql/schema.graphql in every environment."""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest

from hub.app import create_app
from hub.clients import Clients
from hub.http.graphql_over_http import GRAPHQL_RESPONSE_JSON, response_media_type
from hub.settings import Environment, Settings
from tests.graphql import Client
from tests.processes import ROOT

AUDIT = ROOT / "infra" / "graphiql" / "audit.mjs"
GRAPHQL_RESPONSE = {"Accept": GRAPHQL_RESPONSE_JSON}
SDL = (ROOT / "schema.graphql").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hub(api_server: str) -> str:
    return api_server


def test_the_graphql_http_server_audit_passes_without_a_warning(hub: str) -> None:
    finished = subprocess.run(
        ["node", str(AUDIT), f"{hub}/graphql"],
        cwd=AUDIT.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    report = json.loads(finished.stdout)
    assert report["failed"] == []
    assert (report["passed"], report["total"]) == (61, 61)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/graphql-response+json, application/json;q=0.9", GRAPHQL_RESPONSE_JSON),
        ("application/json, application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/json, application/graphql-response+json;q=0.5", "application/json"),
        ("application/*, application/graphql-response+json;q=0.1", "application/json"),
        ("application/graphql-response+json;q=0, */*", "application/json"),
        ("text/html", "application/json"),
        ("application/graphql-response+json;q=nonsense, application/json", "application/json"),
    ],
)
def test_the_media_type_is_the_one_the_client_ranks_first(accept: str | None, expected: str) -> None:
    assert response_media_type(accept) == expected


async def test_a_request_error_is_a_400_without_data_for_graphql_response_json(
    http: httpx.AsyncClient,
) -> None:
    for query in (
        "{ region(code: ",
        "{ nothingHere }",
        "query($code: String!) { region(code: $code) { code } }",
    ):
        response = await http.post("/graphql", json={"query": query}, headers=GRAPHQL_RESPONSE)
        assert response.status_code == 400, query
        assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
        body = response.json()
        assert "data" not in body
        assert body["errors"], query


async def test_application_json_keeps_200_and_null_data(http: httpx.AsyncClient) -> None:
    for accept in ("application/json", "*/*"):
        response = await http.post("/graphql", json={"query": "{ nothingHere }"}, headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.json()["data"] is None


async def test_a_field_error_keeps_data_and_200(client_for: Client) -> None:
    """`viewer` needs a token: the operation ran, so it answers 200 with `data: null` and the error's path."""
    async with client_for(None) as anonymous:
        response = await anonymous.post(
            "/graphql", json={"query": "{ viewer { name } }"}, headers=GRAPHQL_RESPONSE
        )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["path"] == ["viewer"]


async def test_a_batch_answers_400_only_when_every_operation_is_a_request_error(
    http: httpx.AsyncClient,
) -> None:
    mixed = await http.post(
        "/graphql", json=[{"query": "{ __typename }"}, {"query": "{ nothingHere }"}], headers=GRAPHQL_RESPONSE
    )
    assert mixed.status_code == 200
    first, second = mixed.json()
    assert (first["data"], "data" in second) == ({"__typename": "Query"}, False)
    failed = await http.post("/graphql", json=[{"query": "{ nothingHere }"}] * 2, headers=GRAPHQL_RESPONSE)
    assert failed.status_code == 400
    assert all("data" not in answer for answer in failed.json())


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, "application/json"])
async def test_a_mutation_over_get_is_405(http: httpx.AsyncClient, accept: str) -> None:
    query = 'mutation { sessionRevoke(input: {refreshToken: "x"}) { revoked } }'
    response = await http.get("/graphql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "mutations are not allowed when using GET" in response.text
    if accept == GRAPHQL_RESPONSE_JSON:
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_a_body_that_is_not_json_is_a_json_error_for_graphql_response_json(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post(
        "/graphql", content=b'{"query": ', headers={**GRAPHQL_RESPONSE, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("environment", [Environment.DEVELOPMENT, Environment.PRODUCTION])
async def test_the_sdl_is_served_in_every_environment(
    settings: Settings, seeded: Clients, environment: Environment
) -> None:
    app = create_app(settings.model_copy(update={"environment": environment}), shared_clients=seeded)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pantau.test") as http:
            response = await http.get("/graphql/schema.graphql")
            again = await http.get(
                "/graphql/schema.graphql", headers={"If-None-Match": response.headers["etag"]}
            )
            assets = await http.get("/graphiql/graphiql.js")
    assert response.status_code == 200
    assert response.text == SDL
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert (again.status_code, again.content) == (304, b"")
    # The GraphiQL bundle goes with GraphiQL: development only.
    assert assets.status_code == (404 if environment is Environment.PRODUCTION else 200)
