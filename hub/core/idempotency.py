"""Retried creations: one record per (principal, kind of creation, clientMutationId), even when the retries
arrive at the same moment.

Every record of a collection whose creations take a `clientMutationId` stores an `idempotency_key`: a digest
of (kind, principal, clientMutationId) when the client sent one, a random value otherwise. A unique index on
it lets exactly one of several concurrent inserts of the same request through; each loser gets
DuplicateKeyError, loads the winner by its key and answers it as its own result (`insert_once`). Looking for
an earlier record before inserting is only the fast path of a sequential retry: the index makes the race safe.

Why not a partial index on the client's id alone: the development MongoDB stand-in accepts a
`partialFilterExpression` but ignores it (it then refuses a second record *without* a key), while it does
honour `sparse`. So every new record has a key (random when the client sent none) and the index is unique and
sparse: the same on both engines, and records written before the key existed (no field at all) stay out of it.

Whoever answers an earlier record checks, with the principal as it is now, that it may still see it: a retry
after the user moved region gets the domain's NOT_FOUND, never the old record.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import TypeVar

from beanie import Document
from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

KEY_FIELD = "idempotency_key"
Record = TypeVar("Record", bound=Document)


def random_key() -> str:
    """The key of a record created without a clientMutationId: unique, so it never meets another."""
    return f"auto:{uuid.uuid4().hex}"


def request_key(kind: str, actor: str, client_mutation_id: str | None) -> str | None:
    """The key of a creation retried under `client_mutation_id` (None: the client sent none). A digest, so
    that the client's text, of any length, never reaches the index."""
    if not client_mutation_id:
        return None
    digest = hashlib.sha256("\x00".join((kind, actor, client_mutation_id)).encode()).hexdigest()
    return f"{kind}:{digest}"


def key_index(name: str) -> IndexModel:
    """The unique, sparse index over `idempotency_key` (see the module's docstring for why sparse)."""
    return IndexModel([(KEY_FIELD, ASCENDING)], unique=True, sparse=True, name=name)


async def earlier(model: type[Record], key: str | None) -> Record | None:
    """The record an earlier attempt of the same request created, if any."""
    if key is None:
        return None
    return await model.find_one({KEY_FIELD: key})


async def insert_once(record: Record, key: str | None) -> Record | None:
    """Inserts `record` (its key set to `key` when there is one): None when it was inserted; the record of a
    concurrent attempt of the same request when that one won. Any other duplicate (another unique index of the
    collection) is raised for the caller to tell."""
    if key is not None:
        setattr(record, KEY_FIELD, key)
    try:
        await record.insert()
    except DuplicateKeyError:
        winner = await earlier(type(record), key)
        if winner is None:
            raise
        return winner
    return None
