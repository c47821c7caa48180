"""A stack of its own inside a test session: the session's services under a database, bucket and index prefix
with a suffix, dropped afterwards, for tests that look at everything a stack holds (backups, `pantau check`)
and must not meet the other tests' data. Beanie binds its models to one database at a time: `bound` binds
them to the stack's for a block and to the session's again after."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from beanie import init_beanie

from hub.clients import Clients, open_clients
from hub.models import DOCUMENT_MODELS
from hub.settings import Settings
from search.indices import drop_indices


def stack_settings(base: Settings, name: str, **changes: Any) -> Settings:
    return base.model_copy(
        update={
            "mongo_database": f"{base.mongo_database}_{name}",
            "minio_bucket": f"{base.minio_bucket}-{name}",
            "es_index_prefix": f"{base.es_index_prefix}-{name}",
            **changes,
        }
    )


async def drop_stack(clients: Clients) -> None:
    settings = clients.settings
    await clients.mongo.drop_database(settings.mongo_database)
    await drop_indices(clients.es, settings.es_index_prefix)

    def empty_bucket() -> None:
        minio = clients.store.client
        if minio.bucket_exists(settings.minio_bucket):
            for key in clients.store.keys_sync():
                minio.remove_object(settings.minio_bucket, key)
            minio.remove_bucket(settings.minio_bucket)

    await asyncio.to_thread(empty_bucket)


async def bind(clients: Clients) -> None:
    database = clients.mongo[clients.settings.mongo_database]
    await init_beanie(database=database, document_models=list(DOCUMENT_MODELS))


@asynccontextmanager
async def bound(clients: Clients, home: Clients) -> AsyncIterator[Clients]:
    """The models bound to this stack's database for the block, then to the session's (`home`) again."""
    await bind(clients)
    try:
        yield clients
    finally:
        await bind(home)


@asynccontextmanager
async def own_stack(base: Settings, name: str, **changes: Any) -> AsyncIterator[Clients]:
    clients = await open_clients(stack_settings(base, name, **changes), init_models=False)
    await clients.store.ensure_bucket()
    try:
        yield clients
    finally:
        await drop_stack(clients)
        await clients.close()
