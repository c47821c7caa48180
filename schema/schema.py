"""Assembles the schema from each domain's queries and mutations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import DocumentNode, GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension
from strawberry.schema.config import StrawberryConfig

from hub.i18n import Language
from hub.ratelimit import RatePolicy
from schema.access.partner_guard import PartnerAccess
from schema.cost_limit import CostCache, QueryCost
from schema.dashboards.geojson import GEOJSON_SCALAR, GeoJSON
from schema.error_codes import RequestErrorCode
from schema.execution import InlineLeafExecutionContext
from schema.opcache import CachedParsing, Lru
from schema.prefetch import install_presets
from schema.regions.code import REGION_CODE_SCALAR, RegionCode
from schema.root import NODE_TYPES, Mutation, query_type
from schema.security import (
    HardenedSchema,
    HardenedValidation,
    MaskUnexpectedErrors,
    RateLimit,
    SpeakLanguage,
    SuggestionFreeExecutionContext,
)
from schema.subscriptions.subscription import Subscription
from schema.subscriptions.transport import SubscriptionsOverWebSocket
from schema.sync.types import SyncErrorCode

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 5000
# Batching is on, capped: mobile clients on weak networks save round trips by sending a few operations in
# one request (their costs are summed); a larger array is refused with HTTP 400 before any runs.
MAX_BATCH_OPERATIONS = 10
# Points one request may cost (schema/cost.py); the app passes PANTAU_MAX_QUERY_COST.
MAX_QUERY_COST = 1000


def build_schema(
    *,
    production: bool,
    max_batch_operations: int = MAX_BATCH_OPERATIONS,
    max_query_cost: int = MAX_QUERY_COST,
    rate_policy: RatePolicy | None = None,
) -> strawberry.Schema:
    """`rate_policy` needs the app's request context (Redis); without it the schema also runs sync, with the
    per-request cost limit only."""
    # Factories, so that each request gets fresh extension instances. The masker comes first: it wraps the
    # hooks of all the others.
    # Parsing, validation and pricing are kept per operation text (schema.opcache); what depends on the
    # caller (the partner guard, the budget charge, the per-request limit) runs on every request.
    parsed: Lru[tuple[str, tuple[tuple[str, Any], ...]], DocumentNode] = Lru()
    validated: Lru[tuple[str, Language], list[GraphQLError]] = Lru()
    costs: CostCache = Lru()
    extensions: list[Callable[[], SchemaExtension]] = [
        SpeakLanguage,
        MaskUnexpectedErrors,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: CachedParsing(parsed),
        lambda: HardenedValidation(
            max_depth=MAX_DEPTH, max_aliases=MAX_ALIASES, hide_suggestions=production, cache=validated
        ),
        PartnerAccess,
        SubscriptionsOverWebSocket,
    ]
    if production:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    # Last: only a document that every other check let through is priced, and charged to a budget.
    if rate_policy is not None:
        extensions.append(lambda: RateLimit(rate_policy, max_cost=max_query_cost, costs=costs))
    else:
        extensions.append(lambda: QueryCost(max_cost=max_query_cost, costs=costs))
    schema = HardenedSchema(
        query=query_type(),
        mutation=Mutation,
        subscription=Subscription,
        # RequestErrorCode and SyncErrorCode are returned by no field (only as a top-level error's
        # `extensions.code`): listed so that the SDL documents them.
        types=[*NODE_TYPES, RequestErrorCode, SyncErrorCode],
        extensions=extensions,
        execution_context_class=SuggestionFreeExecutionContext if production else InlineLeafExecutionContext,
        config=StrawberryConfig(
            auto_camel_case=True,
            batching_config={"max_operations": max_batch_operations},
            scalar_map={RegionCode: REGION_CODE_SCALAR, GeoJSON: GEOJSON_SCALAR},
        ),
    )
    install_presets(schema._schema)
    return schema
