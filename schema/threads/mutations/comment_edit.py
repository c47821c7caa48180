from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.threads.errors import CommentError
from hub.threads.services import edit_comment
from schema.context import Info
from schema.threads.mutations.common import MENTIONS, CommentId, CommentPayload, comment_id, mention_ids


@strawberry.input(description="A comment's new text.")
class CommentEditInput:
    body: str = strawberry.field(description="The new text, 1 to 5000 characters.")
    mentions: list[relay.GlobalID] | None = strawberry.field(
        default=None, description=f"{MENTIONS} Null keeps the mentions as they are."
    )


async def comment_edit(
    info: Info,
    id: CommentId,
    input: Annotated[CommentEditInput, strawberry.argument(description="The new text.")],
) -> CommentPayload:
    """Change your own comment; the earlier text is kept in its `edits`."""
    try:
        mentions = None if input.mentions is None else mention_ids(input.mentions)
        comment = await edit_comment(info.context.principal, comment_id(id), input.body, mentions)
    except CommentError as error:
        return CommentPayload.failed(error)
    return CommentPayload.of(comment)
