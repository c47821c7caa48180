"""GraphQL over HTTP (the GraphQL-over-HTTP specification): which media type answers a request, and the status
codes that go with it. The view (hub.http.graphql) calls these from small hooks; they do not encode JSON.

- `application/graphql-response+json`, when the Accept header ranks it first (GraphiQL, graphql-http and
  current client libraries ask for it): a request error (the document does not parse or validate, a variable
  does not coerce, a limit refuses the operation before it runs) answers 4xx and has no `data` entry; a
  response with `data` (null included: field errors) answers 200. HTTP-level refusals (a body that is not
  JSON, a missing query) are JSON errors too.
- `application/json` otherwise (`*/*`, no Accept header, anything else): as before, 200 with `data: null`
  for request errors, and plain-text HTTP-level refusals.
- Either way a mutation sent with GET answers 405 with `Allow: POST`, and a refused rate limit keeps its 429.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from hub.http.refusals import error_body

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their quality (a malformed q counts as 0)."""
    ranges = []
    for part in accept.split(","):
        media_range, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_range:
            ranges.append((media_range.lower(), quality))
    return ranges


def _quality(ranges: Sequence[tuple[str, float]], media_type: str) -> tuple[float, bool]:
    """The quality the most specific matching range gives `media_type`, and whether it was named exactly."""
    for candidate in (media_type, f"{media_type.split('/')[0]}/*", "*/*"):
        qualities = [quality for media_range, quality in ranges if media_range == candidate]
        if qualities:
            return max(qualities), candidate == media_type
    return 0.0, False


def response_media_type(accept: str | None) -> str:
    """`application/graphql-response+json` when the client ranks it above `application/json`, or equal and
    named; `application/json` otherwise (wildcards, no header, nothing supported: the lenient legacy
    answer)."""
    if not accept:
        return JSON
    ranges = _ranges(accept)
    graphql, named = _quality(ranges, GRAPHQL_RESPONSE_JSON)
    json, _ = _quality(ranges, JSON)
    if graphql > json or (graphql == json and graphql > 0 and named):
        return GRAPHQL_RESPONSE_JSON
    return JSON


def wants_graphql_response(request: Request) -> bool:
    return response_media_type(request.headers.get("accept")) == GRAPHQL_RESPONSE_JSON


def is_request_error(result: ExecutionResult) -> bool:
    """The operation never ran: errors without a path (field errors always have one) and no data."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(error.path is None for error in errors)


def shape_result(
    request: Request, result: ExecutionResult, processed: GraphQLHTTPResponse
) -> GraphQLHTTPResponse:
    """A request error has no `data` entry for clients of `application/graphql-response+json`."""
    if is_request_error(result) and wants_graphql_response(request):
        processed.pop("data", None)
    return processed


def _request_error_status(response: Mapping[str, Any]) -> int:
    codes = {(error.get("extensions") or {}).get("code") for error in response.get("errors") or ()}
    return 500 if "INTERNAL_ERROR" in codes else 400


def negotiate_status(
    response: Response,
    response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
    media_type: str | None,
) -> Response:
    """Sets the media type and, for `application/graphql-response+json`, the status of a request error (a
    batch: when every operation is one); a status set while executing (429) stays."""
    if media_type != GRAPHQL_RESPONSE_JSON:
        return response
    response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
    if response.status_code != 200:
        return response
    answers = response_data if isinstance(response_data, list) else [response_data]
    failed = [answer for answer in answers if "data" not in answer]
    if answers and len(failed) == len(answers):
        response.status_code = max(_request_error_status(answer) for answer in failed)
    return response


def refused_over_http(request: Request, error: HTTPException) -> Response:
    """An HTTP-level refusal from the view (the body, the parameters, the method, the operation type)."""
    status, headers = error.status_code, {}
    if request.method == "GET" and isinstance(error.__cause__, InvalidOperationTypeError):
        status, headers = 405, {"Allow": "POST"}
    if wants_graphql_response(request):
        return Response(
            error_body(_CODES.get(status, "BAD_REQUEST"), error.reason),
            status_code=status,
            headers=headers,
            media_type=f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8",
        )
    return PlainTextResponse(error.reason, status_code=status, headers=headers)
