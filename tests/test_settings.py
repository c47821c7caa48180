"""Settings are read once from PANTAU_* variables and refuse to start with a message naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.settings import Environment, SettingsError, load_settings

VALID = {
    "PANTAU_MONGO_URL": "mongodb://127.0.0.1:27017",
    "PANTAU_MINIO_ENDPOINT": "127.0.0.1:9000",
    "PANTAU_MINIO_ACCESS_KEY": "pantau",
    "PANTAU_MINIO_SECRET_KEY": "secret-secret",
    "PANTAU_ES_URL": "http://127.0.0.1:9200",
    "PANTAU_REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    import os

    for key in list(os.environ):
        if key.startswith("PANTAU_"):
            monkeypatch.delenv(key)
    for key, value in VALID.items():
        monkeypatch.setenv(key, value)
    return monkeypatch


def test_valid_environment_is_read(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    environment.setenv("PANTAU_ENVIRONMENT", "production")
    environment.setenv("PANTAU_JWT_SECRET", "x" * 40)
    environment.setenv("PANTAU_AUDIT_KEY", "a" * 40)
    settings = load_settings(tmp_path / "none.env")
    assert settings.environment is Environment.PRODUCTION
    assert settings.graphiql_enabled is False
    assert settings.minio_secret_key.get_secret_value() == "secret-secret"


def test_missing_variable_is_named(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    environment.delenv("PANTAU_REDIS_URL")
    with pytest.raises(SettingsError, match="PANTAU_REDIS_URL is required"):
        load_settings(tmp_path / "none.env")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PANTAU_MONGO_URL", "postgres://localhost"),
        ("PANTAU_PORT", "eighty"),
        ("PANTAU_ENVIRONMENT", "staging"),
        ("PANTAU_MAX_UPLOAD_BYTES", "-1"),
        ("PANTAU_ES_URL", "not a url"),
    ],
)
def test_invalid_value_is_named(
    environment: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str
) -> None:
    environment.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"{variable} is invalid"):
        load_settings(tmp_path / "none.env")


def test_env_file_fills_in_and_real_variables_win(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    environment.delenv("PANTAU_REDIS_URL")
    env_file = tmp_path / "services.env"
    env_file.write_text("PANTAU_REDIS_URL=redis://127.0.0.1:6390/0\nPANTAU_MINIO_ENDPOINT=elsewhere:1\n")
    settings = load_settings(env_file)
    assert settings.redis_url == "redis://127.0.0.1:6390/0"
    assert settings.minio_endpoint == "127.0.0.1:9000"


def test_production_requires_a_jwt_secret(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    environment.setenv("PANTAU_ENVIRONMENT", "production")
    environment.delenv("PANTAU_JWT_SECRET", raising=False)
    with pytest.raises(
        SettingsError, match="PANTAU_JWT_SECRET is required when PANTAU_ENVIRONMENT=production"
    ):
        load_settings(tmp_path / "none.env")


def test_short_jwt_secret_is_refused(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    environment.setenv("PANTAU_JWT_SECRET", "too-short")
    with pytest.raises(SettingsError, match="PANTAU_JWT_SECRET is invalid"):
        load_settings(tmp_path / "none.env")


def test_production_requires_an_audit_key(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    environment.setenv("PANTAU_ENVIRONMENT", "production")
    environment.setenv("PANTAU_JWT_SECRET", "x" * 40)
    with pytest.raises(
        SettingsError, match="PANTAU_AUDIT_KEY is required when PANTAU_ENVIRONMENT=production"
    ):
        load_settings(tmp_path / "none.env")
    environment.setenv("PANTAU_AUDIT_KEY", "k" * 32)
    assert load_settings(tmp_path / "none.env").audit_chain_key == b"k" * 32


def test_short_audit_key_is_refused(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    environment.setenv("PANTAU_AUDIT_KEY", "k" * 31)
    with pytest.raises(SettingsError, match="PANTAU_AUDIT_KEY is invalid"):
        load_settings(tmp_path / "none.env")


def test_outside_production_every_process_gets_the_same_audit_key(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first, second = load_settings(tmp_path / "none.env"), load_settings(tmp_path / "none.env")
    assert first.audit_key is None
    assert first.audit_chain_key == second.audit_chain_key
    assert len(first.audit_chain_key) >= 32
    # Not the JWT secret: minting tokens is not the power to rewrite the audit trail.
    environment.setenv("PANTAU_JWT_SECRET", "x" * 40)
    assert load_settings(tmp_path / "none.env").audit_chain_key == first.audit_chain_key


def test_backup_key_is_read_from_its_file_and_named_when_unusable(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key_file = tmp_path / "backup.key"
    environment.setenv("PANTAU_BACKUP_KEY_FILE", str(key_file))
    settings = load_settings(tmp_path / "none.env")  # the API starts without it: only backups read the key
    with pytest.raises(SettingsError, match=r"PANTAU_BACKUP_KEY_FILE .* cannot be read"):
        settings.backup_secret()
    key_file.write_text("too short\n")
    with pytest.raises(SettingsError, match=r"PANTAU_BACKUP_KEY_FILE .* fewer than 32"):
        settings.backup_secret()
    key_file.write_text("f" * 64 + "\n")
    assert settings.backup_secret() == b"f" * 64


def test_backup_key_given_twice_is_refused(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    environment.setenv("PANTAU_BACKUP_KEY", "k" * 40)
    environment.setenv("PANTAU_BACKUP_KEY_FILE", str(tmp_path / "backup.key"))
    with pytest.raises(SettingsError, match="PANTAU_BACKUP_KEY and PANTAU_BACKUP_KEY_FILE are both set"):
        load_settings(tmp_path / "none.env")


def test_backup_target_must_be_absolute_or_s3(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    environment.setenv("PANTAU_BACKUP_TARGET", "relative/backups")
    with pytest.raises(SettingsError, match="PANTAU_BACKUP_TARGET is invalid"):
        load_settings(tmp_path / "none.env")
