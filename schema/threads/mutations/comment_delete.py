from __future__ import annotations

from hub.threads.errors import CommentError
from hub.threads.services import delete_comment
from schema.context import Info
from schema.threads.mutations.common import CommentId, CommentPayload, comment_id


async def comment_delete(info: Info, id: CommentId) -> CommentPayload:
    """Delete your own comment: it stays in the thread as deleted, without its text; deleting it again
    answers it as it is."""
    try:
        comment = await delete_comment(info.context.principal, comment_id(id))
    except CommentError as error:
        return CommentPayload.failed(error)
    return CommentPayload.of(comment)
