"""The per-request cost limit: each operation is priced (schema.cost) once validated, and refused before
anything runs when it, or the operations of its batch together, would cost more than one request may.

A client that sends `"extensions": {"cost": true}` with its request gets the price in the response's
`extensions.cost`, so that frontend teams see what their queries cost while they write them (asked for, so
that other answers stay as they were). The per-principal budget over a window builds on this
(schema.security.RateLimit).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from hub.i18n import render
from schema.context import Context
from schema.cost import operation_cost
from schema.opcache import Lru

# (document text, operation name, variables as sorted JSON) -> cost; one per schema.
CostCache = Lru[tuple[str, str | None, bytes], int]


def _too_costly(cost: int, limit: int, batch_cost: int | None) -> GraphQLError:
    extensions: dict[str, Any] = {"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": limit}
    together = ""
    if batch_cost is not None:
        together = render("request.too_costly_batch", batch_cost=batch_cost)
        extensions["batchCost"] = batch_cost
    return GraphQLError(
        render("request.too_costly", cost=cost, together=together, limit=limit), extensions=extensions
    )


def _cost_key(execution: ExecutionContext) -> tuple[str, str | None, bytes] | None:
    if execution.query is None:
        return None
    try:
        variables = orjson.dumps(execution.variables or {}, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an upload among the variables: not worth keeping
        return None
    return (execution.query, execution.operation_name, variables)


def _priced(execution: ExecutionContext, costs: CostCache | None) -> int:
    """The operation's cost, from the cache when the same text came with the same variables before; raises
    GraphQLError (LIST_TOO_LONG) as operation_cost does."""
    key = _cost_key(execution) if costs is not None else None
    if key is not None and costs is not None and (known := costs.get(key)) is not None:
        return known
    document, variables = execution.graphql_document, execution.variables
    assert document is not None
    cost = operation_cost(execution.schema._schema, document, execution.operation_name, variables)
    if key is not None and costs is not None:
        costs.put(key, cost)
    return cost


def admit(execution: ExecutionContext, max_cost: int, costs: CostCache | None = None) -> int | None:
    """The cost of a validated operation admitted within the request maximum; None when the document was
    refused before or is refused here (the refusal becomes its pre-execution error: nothing runs). The
    price may come from `costs`; the limit is checked, and the request's total added to, every time."""
    # Empty (not None): the document is valid, which the extensions running before have found.
    if execution.pre_execution_errors != [] or execution.graphql_document is None:
        return None
    try:
        cost = _priced(execution, costs)
    except GraphQLError as error:
        execution.pre_execution_errors = [error]
        return None
    context = execution.context
    if isinstance(context, Context) and isinstance(context.request, Request):
        # The operations of a batch share the request's context and its maximum, admitted in turn.
        spent = context.request_cost + cost
        if spent > max_cost:
            execution.pre_execution_errors = [_too_costly(cost, max_cost, spent if spent != cost else None)]
            return None
        context.request_cost = spent
    elif cost > max_cost:
        execution.pre_execution_errors = [_too_costly(cost, max_cost, None)]
        return None
    return cost


class PricedOperation(SchemaExtension):
    """Reports the admitted operation's price in the response's `extensions.cost`, when the request asks."""

    def __init__(self, *, max_cost: int, costs: CostCache | None = None) -> None:
        self.max_cost = max_cost
        self.costs = costs
        self.cost: int | None = None

    def cost_report(self) -> dict[str, Any]:
        return {"requested": self.cost, "limit": self.max_cost}

    def get_results(self) -> dict[str, Any]:
        asked = (self.execution_context.operation_extensions or {}).get("cost") is True
        return {"cost": self.cost_report()} if asked and self.cost is not None else {}


class QueryCost(PricedOperation):
    """The per-request limit alone, for a schema without Redis (the budget over a window needs it)."""

    def on_validate(self) -> Iterator[None]:
        self.cost = admit(self.execution_context, self.max_cost, self.costs)
        yield
