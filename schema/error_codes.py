"""Every top-level error carries `extensions.code`, so that a client branches on codes and never on messages.

Errors raised with a code keep it. The others are given one here, as the response is finished
(schema.security.MaskUnexpectedErrors): a refused argument of a domain (a DomainError) its domain's code, a
refused page or cursor INVALID_PAGINATION, a value a scalar refused (a variable or a literal) the code the
scalar gave or BAD_USER_INPUT, a document that does not parse or validate GRAPHQL_PARSE_FAILED or
GRAPHQL_VALIDATION_FAILED. `RequestErrorCode` lists and describes the codes that are not a domain's; it is
part of the schema so that clients generate it with the rest.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError

from hub.core.paging import PaginationError
from hub.errors import DomainError
from hub.i18n import Language, Text, localize
from schema.describe import enum_type


class RequestErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    INVALID_TOKEN = "INVALID_TOKEN"  # noqa: S105 - an error code
    TOKEN_EXPIRED = "TOKEN_EXPIRED"  # noqa: S105 - an error code
    PERMISSION_DENIED = "PERMISSION_DENIED"
    FIELD_NOT_GRANTED = "FIELD_NOT_GRANTED"
    INVALID_ID = "INVALID_ID"
    REGION_NOT_FOUND = "REGION_NOT_FOUND"
    INVALID_PAGINATION = "INVALID_PAGINATION"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    LIST_TOO_LONG = "LIST_TOO_LONG"
    SUBSCRIPTION_NEEDS_WEBSOCKET = "SUBSCRIPTION_NEEDS_WEBSOCKET"
    SUBSCRIBER_TOO_SLOW = "SUBSCRIBER_TOO_SLOW"
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL_ERROR = "INTERNAL_ERROR"


enum_type(
    RequestErrorCode,
    name="RequestErrorCode",
    description="The `extensions.code` of a top-level error (in the response's `errors`, not a payload's): "
    "the request, or one field of it, was refused. A refused argument of a domain carries that domain's "
    "code instead (such as CaseErrorCode.REGION_NOT_FOUND); no top-level error is ever without a code.",
    values={
        "UNAUTHENTICATED": "No credentials were sent: send `Authorization: Bearer <token>`.",
        "INVALID_TOKEN": "The token sent is not one of this hub's, or it was revoked.",
        "TOKEN_EXPIRED": "The access token expired: refresh the session (`sessionRefresh`).",
        "PERMISSION_DENIED": "Your role may not call this field (partner tokens are read-only; some fields "
        "are for admins or staff only).",
        "FIELD_NOT_GRANTED": "A partner grant does not include a field, filter or order the operation uses; "
        "the message names each.",
        "INVALID_ID": "A value given as an id is not a global id, or not one of the expected type.",
        "REGION_NOT_FOUND": "A region argument names no region (neither an official code nor a Region's id).",
        "INVALID_PAGINATION": "A page size out of range, `first` given with `last`, or a cursor that is not "
        "one this field made.",
        "BAD_USER_INPUT": "A variable or argument value is not of its type, or out of range.",
        "GRAPHQL_PARSE_FAILED": "The document is not GraphQL.",
        "GRAPHQL_VALIDATION_FAILED": "The document does not fit the schema.",
        "QUERY_TOO_DEEP": "The operation nests fields deeper than allowed.",
        "TOO_MANY_ALIASES": "The operation uses more aliases than allowed.",
        "QUERY_TOO_COSTLY": "The operation would cost more points than one request may.",
        "LIST_TOO_LONG": "A list argument has more items than the field takes (`extensions.limit`).",
        "SUBSCRIPTION_NEEDS_WEBSOCKET": "A subscription was sent over HTTP: open a graphql-transport-ws "
        "WebSocket at /graphql.",
        "SUBSCRIBER_TOO_SLOW": "The subscriber fell too far behind the events; its subscription is over: "
        "subscribe again.",
        "RATE_LIMITED": "Your budget of points for the current window is spent; retry after "
        "`extensions.retryAfter` seconds.",
        "INTERNAL_ERROR": "Something failed inside the hub; quote `extensions.reference` when reporting it.",
    },
)


class ClientError(Exception):
    """Raise (or subclass) for a failure whose message the client may read as it is; `code` is its
    `extensions.code` (a RequestErrorCode). The message is a `Text` of the catalog or an English string
    (read in Indonesian as the general text of its code: hub.i18n.localize)."""

    def __init__(self, message: str | Text, code: RequestErrorCode = RequestErrorCode.BAD_USER_INPUT) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code

    def localized(self, language: Language | None = None) -> str:
        return localize(self.message, self.code.value, language)


def _causes(error: GraphQLError) -> list[BaseException]:
    """The errors this one wraps, the nearest first (graphql-core wraps a scalar's error in a variable's)."""
    found: list[BaseException] = []
    current: BaseException | None = error.original_error
    while current is not None and current not in found and len(found) < 8:
        found.append(current)
        current = current.original_error if isinstance(current, GraphQLError) else None
    return found


def code_of(error: GraphQLError) -> tuple[str, dict[str, Any]]:
    """The code a top-level error is answered with, and what else its extensions say."""
    for cause in _causes(error):
        if isinstance(cause, GraphQLError) and cause.extensions and "code" in cause.extensions:
            return str(cause.extensions["code"]), {}
        if isinstance(cause, DomainError):
            return cause.code.value, {"field": cause.field} if cause.field else {}
        if isinstance(cause, PaginationError):
            return RequestErrorCode.INVALID_PAGINATION.value, {}
        if isinstance(cause, ClientError):
            return cause.code.value, {}
    if isinstance(error, GraphQLSyntaxError):
        return RequestErrorCode.GRAPHQL_PARSE_FAILED.value, {}
    if error.path is None and not error.message.startswith("Variable '$"):
        return RequestErrorCode.GRAPHQL_VALIDATION_FAILED.value, {}
    return RequestErrorCode.BAD_USER_INPUT.value, {}


def _localized_message(error: GraphQLError, language: Language) -> str | None:
    """The message of an error the hub raised, in `language`; None for graphql-core's own (a document that
    does not parse or validate, a value not of its type), which stay as the library writes them."""
    for cause in _causes(error):
        if isinstance(cause, DomainError | ClientError):
            return cause.localized(language)
        if isinstance(cause, PaginationError):
            return localize(str(cause), RequestErrorCode.INVALID_PAGINATION.value, language)
    return None


def in_language(error: GraphQLError, language: Language) -> GraphQLError:
    """The error with the hub's message in `language` (codes never change). Errors the hub makes itself
    (limits, permissions) are written in the request's language already (hub.i18n.current_language)."""
    message = _localized_message(error, language)
    if message is not None and message != error.message:
        error.message = message
    return error


def with_code(error: GraphQLError) -> GraphQLError:
    """The error, with `extensions.code` set when it had none."""
    if error.extensions and "code" in error.extensions:
        return error
    code, more = code_of(error)
    error.extensions = {**(error.extensions or {}), **more, "code": code}
    return error
