"""What the one-per-file mutations share: opening the global ids they are given, and reporting a domain
error as the payload's typed `errors` (field, message, code) rather than as a GraphQL error.

Each domain declares its `MutationErrors` once, from its domain error and its GraphQL error type. In a
mutation, `raw_id` opens a global id of the expected type, or raises that domain error (its code, naming the
field) like the domain services do; the mutation's one `except` turns any of them into `errors` with `typed`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Generic, TypeVar

from strawberry import relay

from hub.errors import DomainError
from hub.i18n import Text

Failure = TypeVar("Failure", bound=DomainError)
TypedError = TypeVar("TypedError")


class MutationErrors(Generic[Failure, TypedError]):
    def __init__(self, domain_error: type[Failure], typed_error: Callable[..., TypedError]) -> None:
        self.domain_error = domain_error
        self._typed_error = typed_error

    def typed(self, error: Failure) -> list[TypedError]:
        """The payload's `errors`: one per problem, for an error that names several (`problems`, such as a
        report's content check), else the error itself; each message in the request's language."""
        problems = getattr(error, "problems", None) or [error]
        return [
            self._typed_error(field=problem.field, message=problem.localized(), code=problem.code)
            for problem in problems
        ]

    def raw_id(self, value: relay.GlobalID, type_name: str, code: StrEnum, field: str = "id") -> str:
        """The id inside a global id of `type_name`; any other type raises the domain error with `code`."""
        if value.type_name != type_name:
            raise self.domain_error(
                code, Text("request.wrong_id_type", field=field, type_name=type_name), field
            )
        return value.node_id
