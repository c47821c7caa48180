from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.threads.errors import CommentError, CommentErrorCode
from hub.threads.models import CommentTarget
from hub.threads.services import add_comment
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID
from schema.threads.mutations.common import MENTIONS, CommentPayload, mention_ids


@strawberry.input(description="A comment to add to a report's or a case's thread.")
class CommentAddInput:
    record: relay.GlobalID = strawberry.field(description="The Report or Case to comment on.")
    body: str = strawberry.field(description="The text, 1 to 5000 characters.")
    mentions: list[relay.GlobalID] | None = strawberry.field(default=None, description=MENTIONS)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


def _target(record: relay.GlobalID) -> CommentTarget:
    try:
        return CommentTarget(record.type_name)
    except ValueError:
        raise CommentError(
            CommentErrorCode.RECORD_NOT_FOUND, "`record` must be the id of a Report or a Case", "record"
        ) from None


async def comment_add(
    info: Info,
    input: Annotated[CommentAddInput, strawberry.argument(description="The comment.")],
) -> CommentPayload:
    """Comment on a report or case you may read, optionally mentioning users who may read it too."""
    try:
        comment, _ = await add_comment(
            info.context.principal,
            _target(input.record),
            input.record.node_id,
            input.body,
            mention_ids(input.mentions),
            input.client_mutation_id,
        )
    except CommentError as error:
        return CommentPayload.failed(error, input.client_mutation_id)
    return CommentPayload.of(comment, input.client_mutation_id)
