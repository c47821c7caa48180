"""Redis through Sentinel: with a `sentinel://` URL the app's clients, the scheduler's lock client and
Celery's broker all find the master that the sentinels name. Runs a Redis server and a sentinel of its own."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from hub.clients import open_clients
from hub.redis_connect import parse_sentinel_url, sync_redis_client
from hub.settings import Settings, SettingsError, load_settings
from tests.live_helpers import free_port
from tests.processes import start_worker, stop
from workers.celery_app import create_celery

MASTER = "pantau-test"


@pytest.fixture(scope="module")
def sentinel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """(master port, sentinel port): a throwaway Redis and one sentinel watching it."""
    folder = tmp_path_factory.mktemp("sentinel")
    master_port, sentinel_port = free_port(), free_port()
    master = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(master_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    config = folder / "sentinel.conf"
    config.write_text(
        f"port {sentinel_port}\nbind 127.0.0.1\ndir {folder}\n"
        f"sentinel monitor {MASTER} 127.0.0.1 {master_port} 1\n"
        f"sentinel down-after-milliseconds {MASTER} 5000\n"
    )
    watcher = subprocess.Popen(["redis-server", str(config), "--sentinel"], stdout=subprocess.DEVNULL)
    try:
        probe = redis.Redis(port=sentinel_port, socket_timeout=1)
        deadline = time.monotonic() + 30
        while True:
            try:
                if probe.execute_command("SENTINEL", "get-master-addr-by-name", MASTER):
                    break
            except redis.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the sentinel did not come up")
            time.sleep(0.1)
        probe.close()
        yield master_port, sentinel_port
    finally:
        stop(watcher, timeout=5)
        stop(master, timeout=5)


@pytest.fixture
def through_sentinel(settings: Settings, sentinel: tuple[int, int]) -> Settings:
    _, sentinel_port = sentinel
    return settings.model_copy(
        update={
            # A second, unreachable sentinel listed first: clients must go on to the one that answers.
            "redis_url": f"sentinel://127.0.0.1:{free_port()}/0;sentinel://127.0.0.1:{sentinel_port}/0",
            "redis_sentinel_master": MASTER,
            "celery_queue": f"{settings.celery_queue}-sentinel-{uuid.uuid4().hex[:6]}",
        }
    )


async def test_app_clients_reach_the_master_the_sentinel_names(
    through_sentinel: Settings, sentinel: tuple[int, int]
) -> None:
    master = redis.Redis(port=sentinel[0])
    clients = await open_clients(through_sentinel, init_models=False)
    try:
        key = f"probe-{uuid.uuid4().hex}"
        await clients.redis.set(key, "async")
        assert master.get(key) == b"async"
        assert (await clients.readiness())["redis"] is None
        lock_client = sync_redis_client(through_sentinel)  # the scheduler's
        lock_client.set(key, "sync")
        assert master.get(key) == b"sync"
        lock_client.close()
    finally:
        await clients.close()
        master.close()


async def test_celery_broker_goes_through_the_sentinel(
    through_sentinel: Settings, sentinel: tuple[int, int], tmp_path: Path
) -> None:
    worker = await asyncio.to_thread(
        start_worker, through_sentinel, tmp_path / "worker.log", queues="periodic"
    )
    try:
        celery = create_celery(through_sentinel)
        sent = await asyncio.to_thread(
            celery.send_task, "pantau.deliver_webhooks", queue=through_sentinel.celery_queue
        )
        for _ in range(600):
            if f"pantau.deliver_webhooks[{sent.id}] succeeded" in worker.text():
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(worker.text()[-3000:])
        # The broker's keys are on the sentinel's master, not on the shared Redis.
        master = redis.Redis(port=sentinel[0])
        assert master.keys(f"*{through_sentinel.celery_queue}*")
        master.close()
    finally:
        await asyncio.to_thread(worker.stop)


def test_sentinel_urls_are_parsed_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    address = parse_sentinel_url("sentinel://:s%40cret@10.0.0.1:26380;sentinel://10.0.0.2/3")
    assert address.sentinels == (("10.0.0.1", 26380), ("10.0.0.2", 26379))
    assert (address.password, address.db) == ("s@cret", 3)
    for key, value in {
        "PANTAU_MONGO_URL": "mongodb://127.0.0.1:27017",
        "PANTAU_MINIO_ENDPOINT": "127.0.0.1:9000",
        "PANTAU_MINIO_ACCESS_KEY": "pantau",
        "PANTAU_MINIO_SECRET_KEY": "secret-secret",
        "PANTAU_ES_URL": "http://127.0.0.1:9200",
        "PANTAU_REDIS_URL": "sentinel://10.0.0.1:26379",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PANTAU_REDIS_SENTINEL_MASTER", raising=False)
    with pytest.raises(SettingsError, match="PANTAU_REDIS_SENTINEL_MASTER is required"):
        load_settings(tmp_path / "none.env")
    monkeypatch.setenv("PANTAU_REDIS_SENTINEL_MASTER", "mymaster")
    assert load_settings(tmp_path / "none.env").uses_sentinel
    monkeypatch.setenv("PANTAU_REDIS_URL", "sentinel://10.0.0.1:port")
    with pytest.raises(SettingsError, match="PANTAU_REDIS_URL is invalid"):
        load_settings(tmp_path / "none.env")
