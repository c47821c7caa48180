"""Assembles the schema from each domain's queries and mutations."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig

from schema.documents.mutations.document_upload import document_upload
from schema.documents.types import Document
from schema.pagination import PaginationError
from schema.regions.queries import RegionQueries
from schema.regions.types import Region
from schema.search.queries import SearchQueries

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 5000


def _query_type() -> type:
    # A fresh class per schema: relay's node fields are bound to the schema that first applies them.
    @strawberry.type(name="Query")
    class Query(RegionQueries, SearchQueries):
        node: relay.Node | None = relay.node(description="Any object by its global id.")
        nodes: list[relay.Node | None] = relay.node(description="Objects by their global ids, in order.")

    return Query


@strawberry.type
class Mutation:
    document_upload = strawberry.mutation(resolver=document_upload)


def _visible(error: GraphQLError) -> bool:
    """Errors a client may read as they are; anything else is masked (its details go to the log)."""
    original = error.original_error
    return original is None or isinstance(original, PaginationError)


def build_schema(*, production: bool) -> strawberry.Schema:
    # Factories, so that each request gets fresh extension instances.
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaskErrors(should_mask_error=lambda error: not _visible(error)),
    ]
    if production:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return strawberry.Schema(
        query=_query_type(),
        mutation=Mutation,
        types=[Region, Document],
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )
