"""Mentions: users named by id in a comment. Each must be an active account that may read the record; any
other id (none has it, deactivated, out of the record's scope) gets the same refusal, which tells nothing
of who the account is. Counted before anything is looked up."""

from __future__ import annotations

from beanie import PydanticObjectId

from hub.access.models import User
from hub.access.principal import user_scope
from hub.core.ids import object_id
from hub.threads.errors import CommentError, CommentErrorCode
from hub.threads.records import ThreadRecord, scope_reads

MAX_MENTIONS = 20


async def check_mentions(record: ThreadRecord, user_ids: list[str]) -> list[PydanticObjectId]:
    """The mentioned users' ids, each once, in the order given; or a refusal naming the first one at fault."""
    if len(user_ids) > MAX_MENTIONS:
        raise CommentError(
            CommentErrorCode.TOO_MANY_MENTIONS, f"at most {MAX_MENTIONS} mentions per comment", "mentions"
        )
    wanted: dict[PydanticObjectId, int] = {}  # id -> where it was first given
    for index, raw in enumerate(user_ids):
        oid = object_id(raw)
        if oid is None:
            raise _refused(index)
        wanted.setdefault(oid, index)
    if not wanted:
        return []
    found = {user.id: user for user in await User.find({"_id": {"$in": list(wanted)}}).to_list()}
    for oid, index in wanted.items():
        user = found.get(oid)
        allowed = (
            user is not None
            and user.active
            and scope_reads(user_scope(user.role, tuple(user.region_path)), record.region_path, None)
        )
        if not allowed:
            raise _refused(index)
    return list(wanted)


def _refused(index: int) -> CommentError:
    return CommentError(
        CommentErrorCode.MENTION_NOT_ALLOWED,
        "only active users who may read this record can be mentioned",
        f"mentions.{index}",
    )
