"""What a bearer token stands for is kept a few seconds per process (hub.access.credential_cache), and every
change that ends or narrows a credential ends it everywhere at once: in this process, and in another API
process through the announcement over Redis. The other process here keeps credentials for 60 s, longer than
the test waits, so only the announcement can explain that it refuses; when the announcement is lost, the
kept copy is used no longer than PANTAU_CREDENTIAL_CACHE_SECONDS."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from beanie import PydanticObjectId

from hub.access.grants import create_grant, revoke_grant
from hub.access.models import User
from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import change_role, create_user, deactivate_user
from hub.caches import synced
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.settings import Settings
from tests.conftest import TEST_PASSWORD, Account
from tests.graphql import Client, post_as
from tests.live_helpers import api_process
from tests.mongo_commands import COMMANDS

VIEWER = "{ viewer { name role } }"
POLLS = 150  # x 0.2 s: well under the other process's 60 s


async def _user(settings: Settings, role: Role = Role.OPERATOR, region: str = "31.74") -> tuple[str, str]:
    username = f"cache-{uuid.uuid4().hex[:10]}"
    user = await create_user(username=username, password=TEST_PASSWORD, role=role, region_code=region)
    tokens = await login(settings, username, TEST_PASSWORD)
    return str(user.id), tokens.access_token


async def _viewer(base: str, token: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post(
            "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"}
        )
    body: dict[str, Any] = response.json()
    return body


def _refused(body: dict[str, Any]) -> bool:
    return bool(body.get("errors")) and body["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


async def _refused_soon(base: str, token: str) -> bool:
    for _ in range(POLLS):
        if _refused(await _viewer(base, token)):
            return True
        await asyncio.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def other_process(
    settings: Settings, seeded: Clients, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An API process that keeps credentials 60 s (the longest allowed). One for the module: each test signs
    in a user or grant of its own, so what one test leaves in its caches is never another's."""
    log = tmp_path_factory.mktemp("other-api") / "api.log"
    with api_process(settings, log, env={"PANTAU_CREDENTIAL_CACHE_SECONDS": "60"}) as base:
        yield base


@pytest.fixture
def forgetful_process(settings: Settings, seeded: Clients, tmp_path: Path) -> Iterator[str]:
    """An API process that keeps credentials 1 s."""
    with api_process(settings, tmp_path / "api.log", env={"PANTAU_CREDENTIAL_CACHE_SECONDS": "1"}) as base:
        yield base


@pytest.fixture
def announcing(settings: Settings, seeded: Clients) -> Iterator[None]:
    """This test's changes are announced, as the API process that makes them would."""
    with synced(seeded.redis, settings):
        yield


async def test_a_second_request_with_the_same_token_reads_no_user_or_session(
    client_for: Client, settings: Settings
) -> None:
    _, token = await _user(settings)
    first = await post_as(client_for, token, VIEWER)
    assert first["data"]["viewer"]["role"] == "OPERATOR"
    COMMANDS.reset()
    again = await post_as(client_for, token, VIEWER)
    assert again["data"]["viewer"] == first["data"]["viewer"]
    assert COMMANDS.counts["find"] == 0, COMMANDS.counts


async def test_a_role_change_is_seen_by_the_next_request(client_for: Client, settings: Settings) -> None:
    user_id, token = await _user(settings)
    assert (await post_as(client_for, token, VIEWER))["data"]["viewer"]["role"] == "OPERATOR"
    await change_role(user_id, Role.COORDINATOR, "31")
    assert (await post_as(client_for, token, VIEWER))["data"]["viewer"]["role"] == "COORDINATOR"


async def test_a_deactivation_ends_the_token_in_another_process_at_once(
    other_process: str, announcing: None, settings: Settings
) -> None:
    user_id, token = await _user(settings)
    assert (await _viewer(other_process, token))["data"]["viewer"]["role"] == "OPERATOR"  # kept there now
    await deactivate_user(user_id)
    assert await _refused_soon(other_process, token), "the other process kept a deactivated user's token"


async def test_a_revoked_grant_ends_in_another_process_at_once(
    other_process: str, announcing: None, accounts: dict[str, Account]
) -> None:
    created = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=["Report.title"],
        expires_at=utcnow() + timedelta(days=1),
    )
    seen = await _viewer(other_process, created.token)
    assert seen["data"]["viewer"]["name"] == "KPU"  # kept there now
    await revoke_grant(str(created.grant.id))
    assert await _refused_soon(other_process, created.token), "the other process kept a revoked grant"


async def test_an_unannounced_change_ends_the_token_once_the_kept_copy_is_too_old(
    forgetful_process: str, settings: Settings
) -> None:
    user_id, token = await _user(settings)
    assert (await _viewer(forgetful_process, token))["data"]["viewer"]["role"] == "OPERATOR"
    # Behind every cache's back, and not announced: a lost message, as far as the server can tell.
    await User.get_pymongo_collection().update_one(
        {"_id": PydanticObjectId(user_id)}, {"$set": {"active": False}}
    )
    assert await _refused_soon(forgetful_process, token), "the server kept the credential past its age"
