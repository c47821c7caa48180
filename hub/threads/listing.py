"""A record's thread: its comments, oldest first, in keyset pages (deleted ones stay, as markers)."""

from __future__ import annotations

from beanie import PydanticObjectId, SortDirection

from hub.access.principal import Principal
from hub.core.ids import object_id
from hub.core.paging import Keyset, Page, Position
from hub.threads.models import Comment
from hub.threads.records import reads_comment, refuse_partner

THREAD_ORDER = Keyset("comments", (("created_at", SortDirection.ASCENDING), ("_id", SortDirection.ASCENDING)))


async def list_comments(
    principal: Principal, record_id: PydanticObjectId, after: Position | None, first: int
) -> Page[Comment]:
    """The thread of a record the caller has already read (the record's own visibility decides)."""
    refuse_partner(principal)
    return await THREAD_ORDER.page(Comment, {"target_id": record_id}, after, first)


async def comments_by_id(principal: Principal, ids: list[str]) -> list[Comment | None]:
    """Node lookups: each comment the principal may read, else None."""
    wanted = [object_id(value) for value in ids]
    found = {
        comment.id: comment
        for comment in await Comment.find(
            {"_id": {"$in": [oid for oid in wanted if oid is not None]}}
        ).to_list()
    }
    answers: list[Comment | None] = []
    for oid in wanted:
        comment = found.get(oid) if oid is not None else None
        answers.append(comment if comment is not None and reads_comment(principal, comment) else None)
    return answers
