"""The `comments` field that Report and Case share: a record's thread as a connection."""

from __future__ import annotations

from beanie import PydanticObjectId
from graphql import GraphQLError

from hub.threads.errors import CommentError
from hub.threads.listing import THREAD_ORDER, list_comments
from schema.connection import connection
from schema.context import Info
from schema.threads.types import Comment, CommentConnection


async def thread(
    info: Info,
    record_id: PydanticObjectId,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> CommentConnection:
    """The record's comments; partners are refused (a comment is never published to a grant)."""
    try:
        position, size = THREAD_ORDER.window(first=first, after=after, last=last, before=before)
        page = await list_comments(info.context.principal, record_id, position, size)
    except CommentError as error:
        raise GraphQLError(error.message, extensions={"code": error.code.value}) from None
    return connection(CommentConnection, page, Comment.from_model, cursor=THREAD_ORDER.cursor)
