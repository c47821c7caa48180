"""Login, rotating refresh tokens, reuse detection, logout, deactivation, and the first-admin command."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import timedelta
from typing import Any

import jwt
import pytest

from hub.access.models import Session, User
from hub.access.roles import Role
from hub.access.users import create_user, deactivate_user
from hub.core.clock import utcnow
from hub.settings import Settings
from tests.conftest import TEST_PASSWORD, Account
from tests.graphql import Client, post_as, region_id
from tests.processes import ROOT, settings_env

LOGIN = """mutation($u: String!, $p: String!) { sessionCreate(input: {username: $u, password: $p}) {
  accessToken refreshToken accessTokenExpiresAt user { username role region { code } }
  errors { code field message } } }"""
REFRESH = """mutation($t: String!) { sessionRefresh(input: {refreshToken: $t}) {
  accessToken refreshToken errors { code message } } }"""
LOGOUT = "mutation($t: String!) { sessionRevoke(input: {refreshToken: $t}) { revoked errors { code } } }"
VIEWER = "{ viewer { name role viewerCanManageUsers region { code } } }"


async def _new_user(role: Role = Role.OPERATOR, region: str = "31.74") -> str:
    username = f"u-{uuid.uuid4().hex[:10]}"
    await create_user(username=username, password=TEST_PASSWORD, role=role, region_code=region)
    return username


async def _login(client_for: Client, username: str, password: str = TEST_PASSWORD) -> dict[str, Any]:
    body = await post_as(client_for, None, LOGIN, {"u": username, "p": password})
    payload: dict[str, Any] = body["data"]["sessionCreate"]
    return payload


async def test_login_gives_a_working_access_token(client_for: Client, accounts: dict[str, Account]) -> None:
    username = await _new_user(Role.COORDINATOR, "31")
    session = await _login(client_for, username)
    assert session["errors"] == []
    assert session["user"] == {"username": username, "role": "COORDINATOR", "region": {"code": "31"}}
    viewer = await post_as(client_for, session["accessToken"], VIEWER)
    assert viewer["data"]["viewer"] == {
        "name": username,
        "role": "COORDINATOR",
        "viewerCanManageUsers": False,
        "region": {"code": "31"},
    }


@pytest.mark.parametrize(
    ("username", "password"), [("operator-31.74", "salah-sandi-12345"), ("tidak-ada", "x" * 12)]
)
async def test_wrong_credentials_are_refused_alike(
    client_for: Client, accounts: dict[str, Account], username: str, password: str
) -> None:
    session = await _login(client_for, username, password)
    assert session["accessToken"] is None
    assert session["errors"] == [
        {"code": "INVALID_CREDENTIALS", "field": None, "message": "the username or password is wrong"}
    ]


async def test_refresh_rotates_and_a_reused_token_revokes_the_session(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    session = await _login(client_for, await _new_user())
    first = session["refreshToken"]
    rotated = (await post_as(client_for, None, REFRESH, {"t": first}))["data"]["sessionRefresh"]
    assert rotated["errors"] == []
    assert rotated["refreshToken"] != first
    assert (await post_as(client_for, rotated["accessToken"], VIEWER))["data"]["viewer"] is not None

    # The old refresh token shows up again: someone copied it. The whole session ends.
    reused = (await post_as(client_for, None, REFRESH, {"t": first}))["data"]["sessionRefresh"]
    assert [error["code"] for error in reused["errors"]] == ["TOKEN_REUSED"]
    after = (await post_as(client_for, None, REFRESH, {"t": rotated["refreshToken"]}))["data"][
        "sessionRefresh"
    ]
    assert [error["code"] for error in after["errors"]] == ["INVALID_TOKEN"]
    refused = await post_as(client_for, rotated["accessToken"], VIEWER)
    assert refused["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


async def test_logout_ends_the_access_token_at_once(client_for: Client, accounts: dict[str, Account]) -> None:
    session = await _login(client_for, await _new_user())
    revoked = (await post_as(client_for, session["accessToken"], LOGOUT, {"t": session["refreshToken"]}))[
        "data"
    ]
    assert revoked["sessionRevoke"] == {"revoked": True, "errors": []}
    refused = await post_as(client_for, session["accessToken"], VIEWER)
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


async def test_deactivated_user_is_refused_at_once(client_for: Client, accounts: dict[str, Account]) -> None:
    username = await _new_user()
    session = await _login(client_for, username)
    user = await User.find_one({"username": username})
    assert user is not None
    await deactivate_user(str(user.id))
    refused = await post_as(client_for, session["accessToken"], VIEWER)
    assert refused["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"
    again = await _login(client_for, username)
    assert [error["code"] for error in again["errors"]] == ["INVALID_CREDENTIALS"]
    sessions = await Session.find({"user_id": user.id}).to_list()
    assert sessions
    assert all(stored.revoked_at is not None for stored in sessions)


async def test_expired_or_forged_access_tokens_are_refused(
    client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    session = await _login(client_for, await _new_user())
    claims = jwt.decode(session["accessToken"], options={"verify_signature": False})
    expired = jwt.encode(
        {**claims, "exp": utcnow() - timedelta(seconds=5)}, settings.token_secret, algorithm="HS256"
    )
    forged = jwt.encode(
        {**claims, "exp": utcnow() + timedelta(hours=1)}, "another-key-" * 4, algorithm="HS256"
    )
    for token, code in ((expired, "TOKEN_EXPIRED"), (forged, "INVALID_TOKEN")):
        body = await post_as(client_for, token, VIEWER)
        assert body["errors"][0]["extensions"]["code"] == code
        assert body["data"] is None


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"username": "AB", "role": "OPERATOR", "region": "31.74"}, "INVALID_USERNAME", "username"),
        ({"username": "nama-baru", "role": "OPERATOR", "region": "99.99"}, "REGION_NOT_FOUND", "region"),
        ({"username": "nama-baru", "role": "REVIEWER", "region": "31"}, "INVALID_ROLE_FOR_REGION", "region"),
        ({"username": "nama-baru", "role": "OPERATOR", "region": "ID"}, "INVALID_ROLE_FOR_REGION", "region"),
        ({"username": "operator-31.74", "role": "OPERATOR", "region": "31.74"}, "USERNAME_TAKEN", "username"),
        (
            {"username": "nama-baru", "role": "OPERATOR", "region": "31.74", "password": "pendek"},
            "WEAK_PASSWORD",
            "password",
        ),
    ],
)
async def test_user_create_refusals_change_nothing(
    client_for: Client, accounts: dict[str, Account], variables: dict[str, str], code: str, field: str
) -> None:

    before = await User.find_all().count()
    query = """mutation($u: String!, $p: String!, $role: Role!, $region: RegionCode!) {
      userCreate(input: {username: $u, password: $p, role: $role, region: $region}) {
        user { username } errors { code field message } } }"""
    body = await post_as(
        client_for,
        accounts["admin"].token,
        query,
        {
            "u": variables["username"],
            "p": variables.get("password", "kata-sandi-yang-panjang"),
            "role": variables["role"],
            "region": region_id(variables["region"]),
        },
    )
    result = body["data"]["userCreate"]
    assert result["user"] is None
    assert [(error["code"], error["field"]) for error in result["errors"]] == [(code, field)]
    assert await User.find_all().count() == before


def test_first_admin_from_the_command_line(settings: Settings, accounts: dict[str, Account]) -> None:
    username = f"admin-{uuid.uuid4().hex[:8]}"
    env = settings_env(settings) | {"PANTAU_NEW_USER_PASSWORD": "kata-sandi-admin-pertama"}
    done = subprocess.run(
        [sys.executable, "-m", "hub.cli", "users", "create", "--username", username],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"created admin {username}" in done.stderr + done.stdout
    again = subprocess.run(
        [sys.executable, "-m", "hub.cli", "users", "create", "--username", username],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert again.returncode == 1
    assert "is taken" in again.stderr + again.stdout
