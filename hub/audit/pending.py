"""Pending audit entries: an audit entry written in the same document update as the change it records.

Without transactions, a change and a separate append to the chain can be torn apart by a crash: the change
lands and its entry never does. So a domain service that changes a document puts the entry, sealed, into
that document's `audit_pending` list in the same update (`$push: push_pending(entry)` beside its `$set` and
version check; on insert, `audit_pending=[entry]`). From then on the entry cannot be lost with the change:
the linker (hub.audit.linker) appends it to the chain with its id as `pending_id` (unique: a second attempt
is "already recorded") and pulls it from the document, whether right after the update (`complete`) or in
the periodic pass that finds every pending entry in the collections registered here.

Sealed: each pending entry carries an HMAC under a key derived from the audit key. Someone who can write to
MongoDB but does not hold the key cannot plant a pending entry that the linker would then sign into the
chain: an unsealed one is set aside (`audit_rejected`) and reported by `pantau audit verify`.

Hard deletes: a document with pending entries is not deleted until they are linked (`NO_PENDING` in the
delete's filter, after `linker.settle`). A delete that is itself audited is written as a pending entry
with `delete=True` into the document it deletes: the linker removes the document once the entry is in the
chain, so the deletion is never without its entry, and never left undone once recorded. Its id derives
from the target, so a delete attempted again after a crash is recorded once.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field

from hub.audit.chain import AuditKey, canonical_json, iso_utc, normalise_change
from hub.audit.service import process_key
from hub.core.clock import storable_time, utcnow

# Who acted when a domain function is called without a principal (command-line jobs, tests).
SYSTEM_ACTOR = "system"
PENDING_FIELD = "audit_pending"
REJECTED_FIELD = "audit_rejected"
# In the filter of a hard delete: only a document whose pending entries are all linked may go.
NO_PENDING: dict[str, Any] = {f"{PENDING_FIELD}.0": {"$exists": False}}
HAS_PENDING: dict[str, Any] = {f"{PENDING_FIELD}.0": {"$exists": True}}


class PendingAudit(BaseModel):
    """An audit entry waiting in the document it is about, until it is linked into the chain."""

    id: str = Field(description="unique; becomes the entry's `pending_id`")
    actor: str
    action: str
    target: str
    at: datetime = Field(description="when the change was made, in UTC, to the millisecond")
    change: dict[str, Any] = Field(default_factory=dict)
    delete: bool = Field(
        default=False, description="the change is the document's deletion: removed once this is linked"
    )
    seal: str = Field(description="HMAC of the fields above under the audit key's pending-entry key")

    def content(self) -> dict[str, Any]:
        """What the seal covers."""
        return {
            "id": self.id,
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "at": iso_utc(self.at),
            "change": self.change,
            "delete": self.delete,
        }

    def sealed_with(self, key: AuditKey) -> bool:
        return hmac.compare_digest(self.seal, _seal(key, self.content()))

    def stored(self) -> dict[str, Any]:
        """As it is written into a document (`$push: {audit_pending: ...}`)."""
        return self.model_dump()


def _seal(key: AuditKey, content: Mapping[str, Any]) -> str:
    return hmac.new(key.pending, canonical_json(dict(content)).encode("utf-8"), "sha256").hexdigest()


def pending_entry(
    actor: str,
    action: str,
    target: str,
    change: Mapping[str, Any],
    *,
    delete: bool = False,
    key: AuditKey | None = None,
) -> PendingAudit:
    """A sealed pending entry for a change made now. `change` must be JSON-able (datetimes allowed): it is
    normalised first, so bad values fail before anything is written. `delete`: the change is the deletion
    of the document the entry is written into, which the linker carries out once the entry is linked;
    its id is then derived from the target, so that deleting again after a crash is recorded once."""
    plain = normalise_change(change)
    entry_id = f"{action}:{target}" if delete else uuid.uuid4().hex
    at = storable_time(utcnow())
    entry = PendingAudit(
        id=entry_id, actor=actor, action=action, target=target, at=at, change=plain, delete=delete, seal=""
    )
    entry.seal = _seal(key or process_key(), entry.content())
    return entry


def push_pending(entry: PendingAudit) -> dict[str, Any]:
    """The `$push` clause that carries `entry` in a document update."""
    return {PENDING_FIELD: entry.stored()}


def attach_pending(
    document: Audited, actor: str, action: str, kind: str, change: Mapping[str, Any]
) -> PendingAudit:
    """For an insert: names `document` (an id before it is inserted, so its entry can name it as
    `<kind>:<id>`) and puts the entry of its creation into it. Link it once inserted (linker.complete)."""
    if not isinstance(document, Document):
        raise TypeError(f"{type(document).__name__} is not a document model")
    if document.id is None:
        document.id = PydanticObjectId()
    entry = pending_entry(actor, action, f"{kind}:{document.id}", change)
    document.audit_pending = [entry]
    return entry


_AUDITED: dict[str, type[Document]] = {}


class Audited(BaseModel):
    """Mixed into a document model whose changes are audited: its pending entries, and its registration
    with the linker (every subclass that is a beanie Document and names its collection)."""

    audit_pending: list[PendingAudit] = Field(
        default_factory=list, description="audit entries of changes to this document not linked yet"
    )
    audited_collection: ClassVar[str | None] = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        settings = getattr(cls, "Settings", None)
        name = getattr(settings, "name", None)
        if issubclass(cls, Document) and isinstance(name, str):
            cls.audited_collection = name
            _AUDITED[name] = cls


def audited_models() -> dict[str, type[Document]]:
    """Collection name → model, for every audited model imported so far (hub.models imports them all)."""
    return dict(_AUDITED)


def collection_of(model: type[Document]) -> str:
    name = getattr(model, "audited_collection", None)
    if name is None or _AUDITED.get(name) is not model:
        raise TypeError(f"{model.__name__} is not an audited model (mix in hub.audit.pending.Audited)")
    return str(name)
