"""The inline completion of leaves (schema.execution) gives what graphql-core's own coercion gives, and leaves
to graphql-core (MISSING) what that coercion refuses, so that graphql-core reports it."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLInt
from graphql.type.scalars import serialize_int

from schema.execution import _leaf
from schema.prefetch import MISSING


def _graphql_core(value: Any) -> Any:
    try:
        return serialize_int(value)
    except Exception:
        return MISSING


@pytest.mark.parametrize(
    "value", [0, 7, -(2**31), 2**31 - 1, 2**31, -(2**31) - 1, 10**40, True, False, 3.0, 3.5, "4", "x"]
)
def test_an_int_completes_as_graphql_core_coerces_it(value: Any) -> None:
    completed = _leaf(GraphQLInt, nullable=True)(value)
    expected = _graphql_core(value)
    assert completed is MISSING if expected is MISSING else (completed == expected and type(completed) is int)
