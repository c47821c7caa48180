"""Migration: records written before they carried `updated_at` get one, so `updatedSince` finds them.

Reports, cases, documents, elections and saved searches have always stored it; notifications did not until
incremental sync. Their backfill sets it to the latest of their creation and their reading; it runs with the
periodic sweep (workers.tasks), matches nothing once done, and is safe to run any number of times.
"""

from __future__ import annotations

from hub.notifications.models import Notification


async def backfill_updated_at() -> int:
    """Gives every notification without `updated_at` one; returns how many were given."""
    collection = Notification.get_pymongo_collection()
    changed = 0
    missing = {"updated_at": {"$exists": False}}
    async for raw in collection.find(missing, {"created_at": 1, "read_at": 1}):
        moments = [moment for moment in (raw.get("created_at"), raw.get("read_at")) if moment is not None]
        if not moments:
            continue
        result = await collection.update_one(
            {"_id": raw["_id"], **missing}, {"$set": {"updated_at": max(moments)}}
        )
        changed += result.modified_count
    return changed
