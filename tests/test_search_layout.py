"""The search indices' shards and replicas come from the settings (PANTAU_ES_SHARDS, PANTAU_ES_REPLICAS): new
indices are made so, and the replicas of existing ones are brought in line when the app starts."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from hub.clients import Clients
from hub.settings import SettingsError, load_settings
from search.indices import ALL, IndexLayout, alias_targets, drop_indices, ensure_indices


async def _settings_of(clients: Clients, prefix: str) -> dict[str, dict[str, str]]:
    found = await clients.es.indices.get_settings(index=f"{prefix}-*", flat_settings=True)
    return {index: body["settings"] for index, body in found.items()}


async def test_new_indices_follow_the_layout_and_existing_ones_take_new_replicas(seeded: Clients) -> None:
    prefix = f"layout-{uuid.uuid4().hex[:8]}"
    try:
        await ensure_indices(seeded.es, prefix, IndexLayout(shards=2, replicas="0-1"))
        made = await _settings_of(seeded, prefix)
        assert len(made) == len(ALL)
        for settings in made.values():
            assert settings["index.number_of_shards"] == "2"
            assert settings["index.auto_expand_replicas"] == "0-1"
            # One node: auto-expansion leaves no replica to place, and the index stays green.
            assert settings["index.number_of_replicas"] == "0"

        await ensure_indices(seeded.es, prefix, IndexLayout(shards=2, replicas="1"))
        for settings in (await _settings_of(seeded, prefix)).values():
            assert settings["index.number_of_replicas"] == "1"
            assert settings["index.auto_expand_replicas"] == "false"
        for definition in ALL:  # the same indices, changed in place
            assert await alias_targets(seeded.es, definition.alias(prefix)) == [definition.index(prefix)]
    finally:
        await drop_indices(seeded.es, prefix)


def test_default_layout_expands_replicas_to_the_cluster() -> None:
    body = ALL[0].body()
    assert body["settings"]["auto_expand_replicas"] == "0-1"
    assert body["settings"]["number_of_shards"] == 1
    assert "number_of_replicas" not in body["settings"]


@pytest.mark.parametrize("value", ["two", "1-", "-1", "0-many"])
def test_a_bad_replica_setting_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str) -> None:
    for key, setting in {
        "PANTAU_MONGO_URL": "mongodb://127.0.0.1:27017",
        "PANTAU_MINIO_ENDPOINT": "127.0.0.1:9000",
        "PANTAU_MINIO_ACCESS_KEY": "pantau",
        "PANTAU_MINIO_SECRET_KEY": "secret-secret",
        "PANTAU_ES_URL": "http://127.0.0.1:9200",
        "PANTAU_REDIS_URL": "redis://127.0.0.1:6379/0",
        "PANTAU_ES_REPLICAS": value,
    }.items():
        monkeypatch.setenv(key, setting)
    with pytest.raises(SettingsError, match="PANTAU_ES_REPLICAS is invalid"):
        load_settings(tmp_path / "none.env")
