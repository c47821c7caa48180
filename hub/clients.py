"""The service clients of one process: opened once (app lifespan or worker start), closed on shutdown."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import anyio.to_thread
from beanie import init_beanie
from elasticsearch import AsyncElasticsearch
from minio import Minio
from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from hub.audit.linker import LeaseConfig, configure_link_lease, release_link_lease
from hub.audit.service import configure_audit_key
from hub.models import DOCUMENT_MODELS
from hub.redis_connect import redis_client
from hub.settings import Settings
from hub.storage import ObjectStore, StoreClient

CHECK_TIMEOUT_SECONDS = 3.0


@dataclass
class Clients:
    settings: Settings
    mongo: AsyncMongoClient[dict[str, object]]
    store: ObjectStore
    es: AsyncElasticsearch
    redis: Redis
    # The audit linkers' lease configuration these clients replaced, given back when they close.
    replaced_lease: LeaseConfig = field(default_factory=LeaseConfig)

    async def close(self) -> None:
        release_link_lease(self.redis, self.replaced_lease)
        await self.es.close()
        await self.redis.aclose()
        await self.mongo.close()

    async def readiness(self) -> dict[str, str | None]:
        """Each service with None when it answers, or why it does not."""
        checks = {
            "mongodb": self._check_mongo(),
            "minio": self._check_minio(),
            "elasticsearch": self._check_es(),
            "redis": self._check_redis(),
        }
        results = await asyncio.gather(
            *(asyncio.wait_for(check, CHECK_TIMEOUT_SECONDS) for check in checks.values()),
            return_exceptions=True,
        )
        return {
            name: None if not isinstance(result, BaseException) else (str(result) or type(result).__name__)
            for name, result in zip(checks, results, strict=True)
        }

    async def _check_mongo(self) -> None:
        await self.mongo.admin.command("ping")

    async def _check_minio(self) -> None:
        def check() -> None:
            if not self.store.client.bucket_exists(self.store.bucket):
                raise RuntimeError(f"bucket {self.store.bucket} is missing")

        await anyio.to_thread.run_sync(check)

    async def _check_es(self) -> None:
        health = await self.es.cluster.health()
        if health["status"] == "red":
            raise RuntimeError("cluster health is red")

    async def _check_redis(self) -> None:
        await self.redis.ping()


def make_minio(settings: Settings) -> Minio:
    # StoreClient: minio-py's client, able to send the hub's upload parts unsigned (hub.storage).
    return StoreClient(
        settings.minio_endpoint,
        access_key=settings.minio_access_key,
        secret_key=settings.minio_secret_key.get_secret_value(),
        secure=settings.minio_secure,
    )


def make_es(settings: Settings) -> AsyncElasticsearch:
    auth = None
    if settings.es_username and settings.es_password:
        auth = (settings.es_username, settings.es_password.get_secret_value())
    # With several nodes (PANTAU_ES_NODES), a request that cannot reach one is retried on another, and a node
    # that failed is left out for a while (the client's dead-node backoff).
    return AsyncElasticsearch(settings.es_hosts, basic_auth=auth, request_timeout=30)


async def open_clients(settings: Settings, *, init_models: bool = True) -> Clients:
    # Every process that writes to the database (API, worker, commands, tests) opens its clients here, so
    # this is where the process learns the key its audit entries are linked with.
    configure_audit_key(settings.audit_chain_key)
    mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        settings.mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000
    )
    if init_models:
        await init_beanie(database=mongo[settings.mongo_database], document_models=list(DOCUMENT_MODELS))
    store = ObjectStore(make_minio(settings), settings.minio_bucket)
    redis = redis_client(settings)
    # Linkers of one database take turns through a lease in Redis (hub.audit.linker).
    replaced_lease = configure_link_lease(redis, settings.mongo_database)
    return Clients(
        settings=settings,
        mongo=mongo,
        store=store,
        es=make_es(settings),
        redis=redis,
        replaced_lease=replaced_lease,
    )
