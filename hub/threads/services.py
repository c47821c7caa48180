"""Writing comments: add, edit and (soft) delete, by staff who may read the record; edits and deletions by the
author only. Every write is one insert or one conditional update carrying its audit entry
(hub.audit.pending); limits are checked before anything is read, and a refused write writes nothing.

A deleted comment stays in the thread as a marker (who, when) with its body and history hidden from readers;
the store and the audit trail keep them. An edit keeps the earlier body in `edits`, which readers see."""

from __future__ import annotations

from typing import Any

from beanie import PydanticObjectId

from hub.access.principal import Principal
from hub.audit.linker import complete, complete_insert
from hub.audit.pending import attach_pending, pending_entry, push_pending
from hub.core.clock import storable_time, utcnow
from hub.core.idempotency import earlier, insert_once, request_key
from hub.core.ids import object_id
from hub.events.bus import emit
from hub.events.models import EventKind
from hub.threads.errors import CommentError, CommentErrorCode
from hub.threads.mentions import MAX_MENTIONS, check_mentions
from hub.threads.models import Comment, CommentEdit, CommentTarget
from hub.threads.records import ThreadRecord, load_record, reads_comment, refuse_partner

MAX_BODY = 5_000
MAX_EDITS = 50
MAX_CLIENT_MUTATION_ID = 100
COMMENT_ADD = "comment.add"  # the kind of creation its idempotency keys name


def clean_body(body: str) -> str:
    """The body as stored; its length is checked before it is stripped, so a huge one costs nothing more."""
    if len(body) > MAX_BODY:
        raise CommentError(
            CommentErrorCode.BODY_TOO_LONG, f"a comment has at most {MAX_BODY} characters", "body"
        )
    text = body.strip()
    if not text:
        raise CommentError(CommentErrorCode.BODY_REQUIRED, "write something", "body")
    return text


def _check_counts(body: str, mentions: list[str], client_mutation_id: str | None = None) -> str:
    text = clean_body(body)
    if len(mentions) > MAX_MENTIONS:
        raise CommentError(
            CommentErrorCode.TOO_MANY_MENTIONS, f"at most {MAX_MENTIONS} mentions per comment", "mentions"
        )
    if client_mutation_id is not None and not 0 < len(client_mutation_id) <= MAX_CLIENT_MUTATION_ID:
        raise CommentError(
            CommentErrorCode.INVALID_CLIENT_MUTATION_ID,
            f"a clientMutationId has 1 to {MAX_CLIENT_MUTATION_ID} characters",
            "clientMutationId",
        )
    return text


async def add_comment(
    principal: Principal,
    target_type: CommentTarget,
    record_id: str,
    body: str,
    mentions: list[str],
    client_mutation_id: str | None = None,
) -> tuple[Comment, bool]:
    """(the comment, True when this call wrote it); a retry with the same clientMutationId answers the
    first."""
    refuse_partner(principal)
    text = _check_counts(body, mentions, client_mutation_id)
    key = request_key(COMMENT_ADD, principal.actor, client_mutation_id)
    first = await earlier(Comment, key)
    if first is not None:
        return _replayed(principal, first), False
    record = await load_record(principal, target_type, record_id)
    mentioned = await check_mentions(record, mentions)
    now = storable_time(utcnow())
    comment = Comment(
        target_type=target_type,
        target_id=record.record.id,
        region_path=record.region_path,
        report_type=record.report_type,
        author=principal.actor,
        author_id=object_id(principal.id or ""),
        body=text,
        mentions=mentioned,
        client_mutation_id=client_mutation_id,
        created_at=now,
        updated_at=now,
    )
    audit = attach_pending(
        comment,
        principal.actor,
        COMMENT_ADD,
        "Comment",
        {
            "record": f"{target_type.value}:{record.record.id}",
            "body": text,
            "mentions": [str(m) for m in mentioned],
        },
    )
    winner = await insert_once(comment, key)
    if winner is not None:  # the same request, retried at the same moment, was inserted first
        return _replayed(principal, winner), False
    await complete_insert(comment, audit)
    await _announce_mentions(comment, record, mentioned, principal.actor)
    return comment, True


def _replayed(principal: Principal, comment: Comment) -> Comment:
    if not reads_comment(principal, comment):
        raise CommentError(
            CommentErrorCode.RECORD_NOT_FOUND,
            "the comment first added with this clientMutationId is on a record you can no longer read",
            "clientMutationId",
        )
    return comment


async def _announce_mentions(
    comment: Comment, record: ThreadRecord, mentioned: list[PydanticObjectId], actor: str
) -> None:
    """The domain event notifications pick up: who was mentioned where. No body (events stay small)."""
    if not mentioned:
        return
    await emit(
        EventKind.COMMENT_MENTIONED,
        target_type=record.target_type.value,
        target_id=str(record.record.id),
        region_code=record.region_path[-1],
        region_path=record.region_path,
        report_type=record.report_type,
        actor=actor,
        data={"commentId": str(comment.id), "mentioned": [str(user) for user in mentioned]},
    )


async def _own_comment(principal: Principal, comment_id: str) -> Comment:
    """The principal's own comment; COMMENT_NOT_FOUND when there is none it may read, PERMISSION_DENIED when
    it may read it but did not write it."""
    refuse_partner(principal)
    oid = object_id(comment_id)
    comment = await Comment.get(oid) if oid is not None else None
    if comment is None or not reads_comment(principal, comment):
        raise CommentError(CommentErrorCode.COMMENT_NOT_FOUND, "no comment you can read has this id", "id")
    if comment.author != principal.actor:
        raise CommentError(CommentErrorCode.PERMISSION_DENIED, "only its author may change a comment", "id")
    return comment


async def _update(
    comment: Comment,
    changes: dict[str, Any],
    push: dict[str, Any],
    action: str,
    change: dict[str, Any],
    actor: str,
) -> Comment:
    audit = pending_entry(actor, action, f"Comment:{comment.id}", change)
    result = await Comment.get_pymongo_collection().update_one(
        {"_id": comment.id, "version": comment.version},
        {
            "$set": {**changes, "updated_at": storable_time(utcnow())},
            "$inc": {"version": 1},
            "$push": {**push, **push_pending(audit)},
        },
    )
    if result.modified_count != 1:
        raise CommentError(
            CommentErrorCode.CONFLICT, "the comment was changed meanwhile; reload and try again"
        )
    await complete(Comment, comment.id, audit)
    fresh = await Comment.get(comment.id)
    assert fresh is not None
    return fresh


async def edit_comment(
    principal: Principal, comment_id: str, body: str, mentions: list[str] | None
) -> Comment:
    """A new body (and, when given, new mentions); the earlier body goes to the history. Newly mentioned users
    are announced; those mentioned before are not again."""
    text = _check_counts(body, mentions or [])
    comment = await _own_comment(principal, comment_id)
    if comment.deleted_at is not None:
        raise CommentError(CommentErrorCode.COMMENT_DELETED, "a deleted comment cannot be edited", "id")
    if len(comment.edits) >= MAX_EDITS:
        raise CommentError(
            CommentErrorCode.TOO_MANY_EDITS, f"a comment is edited at most {MAX_EDITS} times", "id"
        )
    record = await load_record(principal, comment.target_type, str(comment.target_id))
    mentioned = comment.mentions if mentions is None else await check_mentions(record, mentions)
    if text == comment.body and mentioned == comment.mentions:
        return comment  # nothing changes (a retried edit): no second history entry
    earlier_body = CommentEdit(body=comment.body, mentions=comment.mentions, until=storable_time(utcnow()))
    updated = await _update(
        comment,
        {"body": text, "mentions": mentioned},
        {"edits": earlier_body.model_dump()},
        "comment.edit",
        {"before": comment.body, "after": text, "mentions": [str(m) for m in mentioned]},
        principal.actor,
    )
    added = [user for user in mentioned if user not in comment.mentions]
    await _announce_mentions(updated, record, added, principal.actor)
    return updated


async def delete_comment(principal: Principal, comment_id: str) -> Comment:
    """Hides the comment (soft delete); deleting it again answers it as it is."""
    comment = await _own_comment(principal, comment_id)
    if comment.deleted_at is not None:
        return comment
    return await _update(
        comment,
        {"deleted_at": storable_time(utcnow())},
        {},
        "comment.delete",
        {"body": comment.body},
        principal.actor,
    )
