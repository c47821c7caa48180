"""Comments (threads on reports and cases) as GraphQL types, over hub.threads."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.threads.errors import CommentErrorCode as CommentErrorCodeModel
from hub.threads.listing import comments_by_id
from hub.threads.models import Comment as CommentModel
from schema.access.actors import ACTOR_DESCRIPTION, actor, sees_account
from schema.access.types import User
from schema.connection import CURSOR, PAGE_INFO
from schema.context import Info
from schema.describe import ERROR_CODE, ERROR_MESSAGE, error_codes
from schema.fields import field
from schema.prefetch import preset

error_codes(
    CommentErrorCodeModel,
    name="CommentErrorCode",
    noun="comment",
    values={
        "RECORD_NOT_FOUND": "No report or case you can read has this id.",
        "COMMENT_NOT_FOUND": "No comment you can read has this id.",
        "BODY_REQUIRED": "A comment needs some text.",
        "BODY_TOO_LONG": "A comment has at most 5000 characters.",
        "TOO_MANY_MENTIONS": "A comment mentions at most 20 users.",
        "MENTION_NOT_ALLOWED": "A mentioned id is not an active user who may read the record "
        "(`field` names it: `mentions.<index>`).",
        "COMMENT_DELETED": "The comment is deleted: it takes no more edits.",
        "TOO_MANY_EDITS": "A comment is edited at most 50 times.",
        "INVALID_CLIENT_MUTATION_ID": "A clientMutationId has 1 to 100 characters.",
    },
)
CommentErrorCode: TypeAlias = CommentErrorCodeModel


@strawberry.type(description="Why a comment mutation did nothing.")
class CommentError:
    field: str | None = strawberry.field(
        description="The input field at fault, such as `body` or `mentions.2`."
    )
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: CommentErrorCode = strawberry.field(description=ERROR_CODE)


@strawberry.type(description="A comment's text before an edit replaced it.")
class CommentEdit:
    body: str = strawberry.field(description="The text it had.")
    until: datetime = strawberry.field(description="When an edit replaced it.")


@strawberry.type(
    description="A comment on a report or a case: staff's discussion of the record, readable by exactly who "
    "may read the record (never by partner grants). Its author may edit it (earlier texts are kept in "
    "`edits`) or delete it (it stays in the thread as deleted, without its text)."
)
class Comment(relay.Node):
    comment_id: relay.NodeID[str]
    model: strawberry.Private[CommentModel]
    created_at: datetime = strawberry.field(description="When it was written.")
    updated_at: datetime = strawberry.field(description="When it was last edited or deleted.")
    version: int = strawberry.field(description="Grows with every edit and the deletion.")

    @classmethod
    def from_model(cls, comment: CommentModel) -> Comment:
        return cls(
            comment_id=str(comment.id),
            model=comment,
            created_at=comment.created_at,
            updated_at=comment.updated_at,
            version=comment.version,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await comments_by_id(info.context.principal, list(node_ids))
        return [cls.from_model(comment) if comment else None for comment in found]

    @field(description="The text; null once deleted.")
    def body(self) -> str | None:
        return None if self.model.deleted_at else self.model.body

    @field(description="Whether the author deleted it.")
    def deleted(self) -> bool:
        return self.model.deleted_at is not None

    @field(description="When the author deleted it; null while it stands.")
    def deleted_at(self) -> datetime | None:
        return self.model.deleted_at

    @field(description="Earlier texts, oldest first (empty once deleted).")
    def edits(self) -> list[CommentEdit]:
        if self.model.deleted_at:
            return []
        return [CommentEdit(body=edit.body, until=edit.until) for edit in self.model.edits]

    @field(description="The record it is on: a Report or Case id.")
    def record_id(self) -> relay.GlobalID:
        return relay.GlobalID(type_name=self.model.target_type.value, node_id=str(self.model.target_id))

    @field(description=f"Who wrote it; {ACTOR_DESCRIPTION}", metadata=preset())
    def author(self, info: Info) -> User | None:
        return actor(info, self.model.author)  # type: ignore[return-value]  # or an awaitable of it

    @field(description="The users it mentions that you may see (empty once deleted).")
    async def mentions(self, info: Info) -> list[User]:
        if self.model.deleted_at or not self.model.mentions:
            return []
        found = await info.context.loaders.user.load_many([str(oid) for oid in self.model.mentions])
        principal = info.context.principal
        return [User.from_model(user) for user in found if user is not None and sees_account(principal, user)]

    @field(description="Whether you wrote it and may still edit or delete it.")
    def viewer_can_edit(self, info: Info) -> bool:
        return self.model.deleted_at is None and self.model.author == info.context.principal.actor


@strawberry.type(description="A comment and its cursor.")
class CommentEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: Comment = strawberry.field(description="The comment.")


@strawberry.type(description="A page of a record's comments, oldest first.")
class CommentConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[CommentEdge] = strawberry.field(description="The comments of this page, with their cursors.")
    total_count: int = strawberry.field(description="How many comments the record has (deleted ones too).")

    @field(description="The comments of this page, without edges.", metadata=preset())
    def nodes(self) -> list[Comment]:
        return [edge.node for edge in self.edges]
