"""The schema's defences: document limits, masked unexpected errors, and per-principal rate limits.

- `HardenedValidation` caps depth and aliases over the document with fragments expanded, in time linear in
  the document (Strawberry's limiters walk every path through the fragments, which a "fragment bomb" makes
  exponential), then runs the standard validation, without "Did you mean ...?" suggestions in production.
- `SpeakLanguage` renders the hub's messages in the language of the request (hub.i18n).
- `MaskUnexpectedErrors` replaces every error a client was not meant to read by "Internal server error
  (reference <id>)" and logs the original with that id and its traceback.
- `RateLimit` charges each operation's cost (schema.cost, schema.cost_limit) to its principal's budget over a
  window in Redis (hub.ratelimit), and refuses it unrun when the budget left cannot pay it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    validate,
)
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry.types import ExecutionContext

from hub.core.paging import PaginationError
from hub.errors import DomainError
from hub.i18n import DEFAULT_LANGUAGE, Language, current_language, render, speaking
from hub.ratelimit import RateDecision, RatePolicy, take
from schema.context import Context
from schema.cost import MINIMUM_COST
from schema.cost_limit import CostCache, PricedOperation, admit
from schema.error_codes import ClientError, in_language, with_code
from schema.execution import InlineLeafExecutionContext
from schema.fragment_order import leaves_first
from schema.opcache import Lru

log = logging.getLogger(__name__)
RATE_LIMIT_TIMEOUT_SECONDS = 1.0


# Messages written for the client: domain errors (bad input, refused actions) and this module's marker.
CLIENT_ERRORS = (ClientError, PaginationError, DomainError)
# Strawberry raises these for a request without a usable operation; its view answers them with HTTP 400.
_HTTP_ERRORS = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)


def is_unexpected(error: GraphQLError) -> bool:
    """Whether an error must be masked: anything but GraphQL's own errors and the client-facing types."""
    original = error.original_error
    if original is None or isinstance(original, (GraphQLError, *CLIENT_ERRORS)):
        return False
    # A scalar refusing a client's value while literals and variables are checked, before any resolver ran:
    # the error points into the document and has no path (errors from resolvers carry one; errors raised
    # by extension hooks are judged in MaskUnexpectedErrors.on_operation).
    refused_value = error.path is None and bool(error.nodes) and isinstance(original, (ValueError, TypeError))
    return not refused_value


class MaskUnexpectedErrors(MaskErrors):
    """Masks unexpected errors with a reference that is logged; keep it first among the extensions, so that
    its on_operation wraps every later hook and also sees what those raise."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        # Every top-level error leaves with a code (schema.error_codes), its message in the request's
        # language.
        language = current_language()
        return [in_language(with_code(error), language) for error in super()._process_errors(errors)]

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        reference = secrets.token_hex(8)
        original = error.original_error or error
        log.error(
            "unexpected error (reference %s): %s",
            reference,
            error.message,
            exc_info=(type(original), original, original.__traceback__),
            extra={"correlation_id": reference, "graphql_path": error.path},
        )
        return GraphQLError(
            render("request.internal_error", reference=reference),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_ERROR", "reference": reference},
        )

    def on_operation(self) -> Iterator[None]:
        try:
            yield from super().on_operation()
        except _HTTP_ERRORS:
            raise
        except GraphQLError as error:
            original = error.original_error
            if original is not None and not isinstance(original, (GraphQLError, *CLIENT_ERRORS)):
                raise self.anonymise_error(error) from None
            raise with_code(error) from None
        except CLIENT_ERRORS as error:
            raise with_code(GraphQLError(str(error), original_error=error)) from None
        except Exception as error:
            raise self.anonymise_error(GraphQLError(str(error), original_error=error)) from None


class SpeakLanguage(SchemaExtension):
    """Each operation speaks its request's language (Context.language, negotiated by the HTTP layer from
    `Accept-Language`): the hub's messages made while it runs, and its errors as the response is finished.
    Keep it first among the extensions, so that it wraps them all."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        language = context.language if isinstance(context, Context) else DEFAULT_LANGUAGE
        with speaking(language):
            yield


class HardenedSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Logs nothing: unexpected errors are logged once, with their reference, by MaskUnexpectedErrors;
        the others are the client's mistakes, answered in the response."""


class SuggestionFreeExecutionContext(InlineLeafExecutionContext):
    """Variable values are checked without "Did you mean ...?" hints, which would reveal the schema."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        kwargs["hide_suggestions"] = True
        return super().build(*args, **kwargs)


# ---- depth and aliases -------------------------------------------------------------------------------


@dataclass
class _Shape:
    """One definition measured without following its fragment spreads."""

    depth: int = 0
    aliases: int = 0
    spreads: list[tuple[str, int | None]] = field(default_factory=list)  # (fragment, level; None: uncounted)


def _measure(selection_set: SelectionSetNode, level: int, counted: bool, shape: _Shape) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.alias is not None:
                shape.aliases += 1
            if selection.selection_set is not None:
                # Introspection fields do not count towards depth (GraphiQL's own query is deep);
                # production refuses introspection altogether.
                inner = counted and not selection.name.value.startswith("__")
                if inner:
                    shape.depth = max(shape.depth, level + 1)
                _measure(selection.selection_set, level + 1, inner, shape)
        elif isinstance(selection, InlineFragmentNode):
            _measure(selection.selection_set, level, counted, shape)
        elif isinstance(selection, FragmentSpreadNode):
            shape.spreads.append((selection.name.value, level if counted else None))


def _expanded(shape: _Shape, resolved: dict[str, tuple[int, int]]) -> tuple[int, int]:
    depth, aliases = shape.depth, shape.aliases
    for name, level in shape.spreads:
        if name in resolved:
            fragment_depth, fragment_aliases = resolved[name]
            aliases += fragment_aliases
            if level is not None:
                depth = max(depth, level + fragment_depth)
    return depth, aliases


def _resolve_fragments(shapes: dict[str, _Shape]) -> dict[str, tuple[int, int]]:
    """Each fragment's depth and alias count with its spreads expanded, each fragment once. Fragments on a
    cycle, or spreading one, stay unresolved and count as empty here: validation refuses them right after."""
    resolved: dict[str, tuple[int, int]] = {}
    spreads = {name: [spread for spread, _ in shape.spreads] for name, shape in shapes.items()}
    for name in leaves_first(spreads):
        resolved[name] = _expanded(shapes[name], resolved)
    return resolved


def _count(number: int) -> str:
    return str(number) if number < 1_000_000 else render("request.over_a_million")


def document_limit_errors(document: DocumentNode, *, max_depth: int, max_aliases: int) -> list[GraphQLError]:
    """Depth and alias errors for each operation of the document, fragments expanded."""
    shapes: dict[str, _Shape] = {}
    operations: list[tuple[OperationDefinitionNode, _Shape]] = []
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode | OperationDefinitionNode):
            shape = _Shape()
            _measure(definition.selection_set, 0, True, shape)
            if isinstance(definition, FragmentDefinitionNode):
                shapes.setdefault(definition.name.value, shape)
            else:
                operations.append((definition, shape))
    resolved = _resolve_fragments(shapes)
    errors = []
    for operation, shape in operations:
        depth, aliases = _expanded(shape, resolved)
        name = f" '{operation.name.value}'" if operation.name else ""
        if depth > max_depth:
            errors.append(
                GraphQLError(
                    render("request.too_deep", name=name, depth=_count(depth), limit=max_depth),
                    operation,
                    extensions={"code": "QUERY_TOO_DEEP"},
                )
            )
        if aliases > max_aliases:
            errors.append(
                GraphQLError(
                    render("request.too_many_aliases", name=name, aliases=_count(aliases), limit=max_aliases),
                    operation,
                    extensions={"code": "TOO_MANY_ALIASES"},
                )
            )
    return errors


class HardenedValidation(SchemaExtension):
    """Cheap limits first: a document over them is refused without running the standard rules at all. The
    outcome depends on the document's text, the schema and the language of the messages alone: with a `cache`
    (one per schema), a text seen before in that language is not walked again."""

    def __init__(
        self,
        *,
        max_depth: int,
        max_aliases: int,
        hide_suggestions: bool,
        cache: Lru[tuple[str, Language], list[GraphQLError]] | None = None,
    ) -> None:
        self.max_depth = max_depth
        self.max_aliases = max_aliases
        self.hide_suggestions = hide_suggestions
        self.cache = cache

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        document = execution.graphql_document
        if document is not None and execution.pre_execution_errors is None:
            text = execution.query
            key = (text, current_language()) if text is not None else None
            known = self.cache.get(key) if self.cache is not None and key is not None else None
            if known is not None:
                execution.pre_execution_errors = list(known)
            else:
                errors = self._errors(document)
                if self.cache is not None and key is not None:
                    self.cache.put(key, errors)
                # Set, even empty: Strawberry then skips its own validation.
                execution.pre_execution_errors = list(errors)
        yield

    def _errors(self, document: DocumentNode) -> list[GraphQLError]:
        execution = self.execution_context
        errors = document_limit_errors(document, max_depth=self.max_depth, max_aliases=self.max_aliases)
        if not errors and execution.validation_rules:
            # What Strawberry's own validation runs, plus the option to leave out suggestions.
            rules = (*execution.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule)
            errors = validate(
                execution.schema._schema, document, rules, hide_suggestions=self.hide_suggestions
            )
        return errors


# ---- rate limits -------------------------------------------------------------------------------------


class RateLimit(PricedOperation):
    """The per-request limit, then each principal's budget over a window in Redis (hub.ratelimit): an
    operation is charged its cost once validated, and refused, before anything runs, when the budget left
    cannot pay it. The operations of a batch are charged one by one, so they are summed. An operation
    refused for itself (not valid, too costly, not parsed) is charged the least an operation costs: a flood
    of them runs out of budget too."""

    def __init__(self, policy: RatePolicy, *, max_cost: int, costs: CostCache | None = None) -> None:
        super().__init__(max_cost=max_cost, costs=costs)
        self.policy = policy
        self.decision: RateDecision | None = None
        self.charged = False

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        if not self.charged:  # it did not parse, so it never reached on_validate; it failed already
            await self._charge(MINIMUM_COST)

    async def on_validate(self) -> AsyncIterator[None]:
        execution = self.execution_context
        cost = admit(execution, self.max_cost, self.costs)
        charged = MINIMUM_COST if cost is None else cost
        self.decision = await self._charge(charged)
        if self.decision is not None and not self.decision.allowed:
            execution.pre_execution_errors = [
                rate_limited(execution.context, self.policy, charged, self.decision)
            ]
            cost = None
        self.cost = cost
        yield

    async def _charge(self, cost: int) -> RateDecision | None:
        self.charged = True
        context = self.execution_context.context
        if not isinstance(context, Context) or self.policy.budget <= 0:
            return None
        return await charge(context, self.policy, cost)

    def cost_report(self) -> dict[str, Any]:
        report = super().cost_report()
        if self.decision is not None:
            report["window"] = {
                "budget": self.decision.limit,
                "remaining": self.decision.remaining,
                "resetsInSeconds": self.decision.retry_after_seconds,
            }
        return report


def _bucket(context: Context) -> str:
    return context.principal.rate_bucket(context.client_address)  # hub.http.client_address, from the view


async def charge(context: Context, policy: RatePolicy, cost: int) -> RateDecision | None:
    """Charges `cost` to the caller's budget when what is left pays it, and says whether it did. None: Redis
    did not answer, and nothing was checked."""
    bucket = _bucket(context)
    try:
        async with asyncio.timeout(RATE_LIMIT_TIMEOUT_SECONDS):
            decision = await take(
                context.clients.redis,
                policy.namespace,
                bucket,
                limit=policy.budget,
                window_seconds=policy.window_seconds,
                cost=cost,
            )
    except Exception as error:
        # Fail open: an unreachable Redis must not take the API down with it; the limit is a guard against
        # abuse, and readiness (/readyz) already reports Redis as down.
        log.warning("rate limit not checked: Redis failed: %r", error, extra={"bucket": bucket})
        return None
    policy.spent.note(policy.namespace, bucket, decision)  # the next request is refused before its body
    return decision


def _points(number: int) -> str:
    return render("request.one_point") if number == 1 else render("request.points", count=number)


def rate_limited(context: Context, policy: RatePolicy, cost: int, decision: RateDecision) -> GraphQLError:
    """The RATE_LIMITED error for a refused charge; sets 429 and Retry-After on an HTTP response."""
    retry_after = decision.retry_after_seconds
    if context.response is not None:
        context.response.status_code = 429
        context.response.headers["Retry-After"] = str(retry_after)
    return GraphQLError(
        render(
            "request.rate_limited",
            cost=_points(cost),
            remaining=decision.remaining,
            limit=decision.limit,
            window=policy.window_seconds,
            retry_after=retry_after,
        ),
        extensions={"code": "RATE_LIMITED", "cost": cost, "limit": decision.limit, "retryAfter": retry_after},
    )
