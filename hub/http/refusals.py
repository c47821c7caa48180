"""Refusals of HTTP requests as GraphQL-shaped JSON: `{"errors": [{"message", "extensions": {"code", …}}]}`.

Every refusal the hub answers before or around a GraphQL operation (body caps, CSRF, multipart, admission,
exports) has this shape and a machine-readable code, so that clients handle them all one way. The message is
in the language the request negotiated (hub.i18n); the code is the same in all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from hub.i18n import Language, Text, localize


def error_body(code: str, message: str, extensions: Mapping[str, Any] | None = None, **top: Any) -> bytes:
    """The JSON body of a refusal; `top`: more top-level members (`data=None` for an operation's refusal)."""
    error = {"message": message, "extensions": {"code": code, **(extensions or {})}}
    return json.dumps({**top, "errors": [error]}).encode()


class RequestRefused(Exception):
    """Raised where a request is refused; the view or route answers it with `response()`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str | Text,
        *,
        extensions: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        operation_refused: bool = False,
    ) -> None:
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.extensions = dict(extensions or {})
        self.headers = dict(headers or {})
        # An operation that was refused (rate limits) answers `data: null`, as it would once executing.
        self.operation_refused = operation_refused

    def response(self, language: Language) -> Response:
        top = {"data": None} if self.operation_refused else {}
        return Response(
            error_body(self.code, localize(self.message, self.code, language), self.extensions, **top),
            status_code=self.status,
            headers=self.headers,
            media_type="application/json",
        )
