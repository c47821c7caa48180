"""documentUpdate: changing what a document is as a record (hub.documents.metadata) and its category.

One conditional update on the revision read: the change, its audit entry with the values before and after,
the `needs_index` marker and the next revision; CONFLICT when the document changed meanwhile. Whoever may
change the document may do this (hub.documents.access). A change that alters what the document proves (its
category, period or links) asks for its evidence to be checked again (hub.evidence).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.access.principal import Principal
from hub.audit.linker import complete
from hub.audit.pending import pending_entry, push_pending
from hub.core.clock import storable_time
from hub.dispatch import TaskDispatcher
from hub.documents.access import document_for_change
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.metadata import RECORD_FIELDS, RecordInput, check_record
from hub.documents.models import DocumentCategory, StoredDocument
from hub.documents.record import dispatch_evidence_check, dispatch_index

# Changes that alter what the document is evidence of: its evidence is checked again.
EVIDENCE_FIELDS = {"category", "period_key", "report_id", "indicator_code"}


def _plain(value: Any) -> Any:
    """An audit value: ids as strings, the rest as stored."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "binary"):  # an ObjectId
        return str(value)
    if isinstance(value, DocumentCategory):
        return value.value
    if isinstance(value, datetime):  # the only one: a document's date
        return value.date().isoformat()
    return value


async def update_document(
    principal: Principal,
    document_id: str,
    given: RecordInput,
    *,
    category: DocumentCategory | None,
    dispatcher: TaskDispatcher,
    now: datetime,
) -> StoredDocument:
    """The document with `given` record fields (and `category`) changed; unchanged when nothing differs."""
    document = await document_for_change(principal, document_id)
    new_category = category or document.category
    values = await check_record(
        principal,
        region_code=document.region_code,
        category=new_category,
        current=document.model_dump(include=set(RECORD_FIELDS)),
        given=given,
    )
    values["category"] = new_category
    before = {name: getattr(document, name) for name in values}
    changed = {name: value for name, value in values.items() if before[name] != value}
    if not changed:
        return document
    now = storable_time(now)
    audit = pending_entry(
        principal.actor,
        "document.update",
        f"Document:{document.id}",
        {
            "region": document.region_code,
            "before": {name: _plain(before[name]) for name in sorted(changed)},
            "after": {name: _plain(changed[name]) for name in sorted(changed)},
        },
    )
    stored = {name: _plain(value) if name == "category" else value for name, value in changed.items()}
    # Guarded on the values read, not on the revision: extraction moves the revision on its own, and must not
    # make an edit fail.
    # (An empty `custom_fields` may be missing on documents from before it existed.)
    unchanged = {
        name: _plain(before[name]) if name == "category" else before[name]
        for name in changed
        if before[name] != {}
    }
    result = await StoredDocument.get_pymongo_collection().update_one(
        {"_id": document.id, "deleted_at": None, **unchanged},
        {
            "$set": {**stored, "needs_index": True, "updated_at": now},
            "$inc": {"revision": 1},
            "$push": push_pending(audit),
        },
    )
    if result.matched_count == 0:
        raise DocumentError(
            DocumentErrorCode.CONFLICT, "the document changed meanwhile; reload it and try again", "id"
        )
    await complete(StoredDocument, document.id, audit)
    await dispatch_index(dispatcher, str(document.id))
    if EVIDENCE_FIELDS & set(changed):
        await dispatch_evidence_check(dispatcher, str(document.id))
    fresh = await StoredDocument.get(document.id)
    if fresh is None:
        raise DocumentError(DocumentErrorCode.DOCUMENT_NOT_FOUND, "the document is gone", "id")
    return fresh
