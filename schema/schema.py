"""Assembles the schema from each domain's queries and mutations."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig

from schema.access.partner_guard import PartnerAccess
from schema.pagination import PaginationError
from schema.root import NODE_TYPES, Mutation, query_type

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 5000


def _visible(error: GraphQLError) -> bool:
    """Errors a client may read as they are; anything else is masked (its details go to the log)."""
    original = error.original_error
    return original is None or isinstance(original, (PaginationError, GraphQLError))


def build_schema(*, production: bool) -> strawberry.Schema:
    # Factories, so that each request gets fresh extension instances.
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaskErrors(should_mask_error=lambda error: not _visible(error)),
        PartnerAccess,
    ]
    if production:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return strawberry.Schema(
        query=query_type(),
        mutation=Mutation,
        types=NODE_TYPES,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )
