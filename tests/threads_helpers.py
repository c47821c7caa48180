"""Shared GraphQL snippets for the thread tests (comments and return reasons)."""

from __future__ import annotations

from hub.access.models import User
from tests.graphql import global_id

COMMENT_FIELDS = """comment { id body deleted deletedAt version recordId viewerCanEdit
  author { username } mentions { username } edits { body until } }
  errors { field code message } clientMutationId"""
ADD = f"""mutation($input: CommentAddInput!) {{ commentAdd(input: $input) {{ {COMMENT_FIELDS} }} }}"""
EDIT = f"""mutation($id: ID!, $input: CommentEditInput!) {{ commentEdit(id: $id, input: $input) {{
  {COMMENT_FIELDS} }} }}"""
DELETE = f"""mutation($id: ID!) {{ commentDelete(id: $id) {{ {COMMENT_FIELDS} }} }}"""
THREAD = """query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { node(id: $id) {
  ... on Report { comments(first: $first, after: $after, last: $last, before: $before) {
    totalCount nodes { id body deleted author { username } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }
  ... on Case { comments(first: $first, after: $after, last: $last, before: $before) {
    totalCount nodes { id body deleted author { username } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }"""


async def user_id(username: str) -> str:
    user = await User.find_one({"username": username})
    assert user is not None
    return global_id("User", user.id)
