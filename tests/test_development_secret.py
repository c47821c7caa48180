"""Outside production without PANTAU_JWT_SECRET, the processes of one checkout share a JWT secret generated
once into <PANTAU_LOCAL_DIR>/secrets: a token (and a cursor, keyed from it) issued by one process is good in
another."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from hub.settings import DEVELOPMENT_JWT_SECRET_FILE, SettingsError, load_settings
from tests.processes import ROOT

VALID = {
    "PANTAU_MONGO_URL": "mongodb://127.0.0.1:27017",
    "PANTAU_MINIO_ENDPOINT": "127.0.0.1:9000",
    "PANTAU_MINIO_ACCESS_KEY": "pantau",
    "PANTAU_MINIO_SECRET_KEY": "secret-secret",
    "PANTAU_ES_URL": "http://127.0.0.1:9200",
    "PANTAU_REDIS_URL": "redis://127.0.0.1:6379/0",
}
PRINT_SECRET = "from hub.settings import load_settings; print(load_settings().token_secret)"


def _environment(local: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PANTAU_")}
    return {**env, **VALID, "PANTAU_LOCAL_DIR": str(local), "PANTAU_ENV_FILE": "/nonexistent"}


def _secret_of_a_new_process(local: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PRINT_SECRET],
        cwd=ROOT,
        env=_environment(local),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_processes_of_one_checkout_share_the_generated_secret(tmp_path: Path) -> None:
    local = tmp_path / "checkout" / ".local"
    first, second = _secret_of_a_new_process(local), _secret_of_a_new_process(local)
    assert first == second
    assert len(first) >= 32
    stored = local / "secrets" / DEVELOPMENT_JWT_SECRET_FILE
    assert stored.read_text().strip() == first
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    # Another checkout has another secret.
    assert _secret_of_a_new_process(tmp_path / "other" / ".local") != first


def test_a_configured_secret_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key, value in _environment(tmp_path / ".local").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PANTAU_JWT_SECRET", "j" * 40)
    assert load_settings(tmp_path / "none.env").token_secret == "j" * 40
    assert not (tmp_path / ".local").exists()  # nothing generated


def test_production_never_generates_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key, value in _environment(tmp_path / ".local").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PANTAU_ENVIRONMENT", "production")
    monkeypatch.setenv("PANTAU_AUDIT_KEY", "a" * 40)
    with pytest.raises(SettingsError, match="PANTAU_JWT_SECRET is required"):
        load_settings(tmp_path / "none.env")
