"""Typed settings, read once from `PANTAU_*` environment variables.

`pantau services up` writes the addresses and generated credentials of the local services to
`.local/services.env`; that file is read as a fallback, and real environment variables always win.
"""

from __future__ import annotations

import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AnyUrl, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "PANTAU_"
DEFAULT_ENV_FILE = Path(".local/services.env")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class SettingsError(RuntimeError):
    """Start-up stops with this: the message names each offending variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT

    mongo_url: str = Field(min_length=1, pattern=r"^mongodb(\+srv)?://")
    mongo_database: str = Field(default="pantau", pattern=r"^[A-Za-z0-9_-]{1,63}$")

    minio_endpoint: str = Field(min_length=1, description="host:port, without a scheme")
    minio_access_key: str = Field(min_length=3)
    minio_secret_key: SecretStr = Field(min_length=8)
    minio_secure: bool = False
    minio_bucket: str = Field(default="pantau-documents", pattern=r"^[a-z0-9][a-z0-9.-]{2,62}$")

    es_url: AnyUrl
    es_username: str | None = None
    es_password: SecretStr | None = None
    es_index_prefix: str = Field(default="pantau", pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")

    redis_url: str = Field(min_length=1, pattern=r"^rediss?://")

    max_upload_bytes: int = Field(default=50 * 1024 * 1024, gt=0)

    celery_queue: str = Field(default="pantau", pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    task_time_limit_seconds: int = Field(default=600, gt=0)
    sweep_interval_seconds: float = Field(default=60.0, gt=0)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, gt=0, lt=65536)

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def graphiql_enabled(self) -> bool:
        return not self.is_production


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "?"
        variable = ENV_PREFIX + field.upper()
        problem = "is required but not set" if item["type"] == "missing" else f"is invalid: {item['msg']}"
        lines.append(f"  {variable} {problem}")
    return "invalid configuration:\n" + "\n".join(lines)


def load_settings(env_file: Path | None = None) -> Settings:
    """Read the settings, or raise SettingsError naming every bad variable."""
    path = env_file or Path(os.environ.get(ENV_PREFIX + "ENV_FILE", str(DEFAULT_ENV_FILE)))
    try:
        return Settings(_env_file=path if path.is_file() else None)
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
