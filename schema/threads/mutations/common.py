"""What the comment mutations share: their typed errors, the ids they take and their payload."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.threads.errors import CommentError as DomainCommentError
from hub.threads.errors import CommentErrorCode as Code
from hub.threads.models import Comment as CommentModel
from schema.describe import CLIENT_MUTATION_ID_ECHO, ERRORS
from schema.mutations import MutationErrors
from schema.threads.types import Comment, CommentError

COMMENT_ERRORS = MutationErrors(DomainCommentError, CommentError)
comment_errors = COMMENT_ERRORS.typed
CommentId = Annotated[relay.GlobalID, strawberry.argument(description="The comment's id.")]
MENTIONS = "Users to mention (User ids), at most 20: each must be an active account that may read the record."


def comment_id(value: relay.GlobalID) -> str:
    return COMMENT_ERRORS.raw_id(value, "Comment", Code.COMMENT_NOT_FOUND)


def mention_ids(values: list[relay.GlobalID] | None) -> list[str]:
    """Raw user ids; any other kind of id is refused like an unknown user, at its place."""
    ids = []
    for index, value in enumerate(values or []):
        ids.append(COMMENT_ERRORS.raw_id(value, "User", Code.MENTION_NOT_ALLOWED, f"mentions.{index}"))
    return ids


@strawberry.type(
    description="What a comment mutation answers: the comment as it is now, or why nothing changed."
)
class CommentPayload:
    comment: Comment | None = strawberry.field(description="The comment as it is now; null when refused.")
    errors: list[CommentError] = strawberry.field(description=ERRORS)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID_ECHO)

    @classmethod
    def of(cls, comment: CommentModel, client_mutation_id: str | None = None) -> CommentPayload:
        return cls(comment=Comment.from_model(comment), errors=[], client_mutation_id=client_mutation_id)

    @classmethod
    def failed(cls, error: DomainCommentError, client_mutation_id: str | None = None) -> CommentPayload:
        return cls(comment=None, errors=comment_errors(error), client_mutation_id=client_mutation_id)
