"""Request-level guards as plain ASGI middleware: body size caps and the CSRF rule for multipart uploads."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.http.refusals import error_body
from hub.http.responses import WatchedSend
from hub.i18n import Text, negotiate

# A browser cannot send any of these cross-site without a CORS preflight, which we never grant.
PREFLIGHT_HEADERS = (b"graphql-preflight", b"apollo-require-preflight", b"x-pantau-csrf")
# GET queries travel in the URL; a query longer than this is to be POSTed (servers cut URLs near here anyway).
MAX_QUERY_STRING_BYTES = 32 * 1024


class BodyTooLarge(Exception):
    pass


async def _reject(send: Send, scope: Scope, status: int, code: str, message: Text) -> None:
    language = negotiate((_header(scope, b"accept-language") or b"").decode("latin-1"))
    body = error_body(code, message.render(language))
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def _is_multipart(scope: Scope) -> bool:
    return (_header(scope, b"content-type") or b"").lower().startswith(b"multipart/")


class BodySizeLimit:
    """Refuses bodies over the cap with 413: by the declared length, then by counting as it streams.

    Multipart bodies (uploads) get `max_multipart_bytes`; every other body, a GraphQL query in JSON, gets the
    much smaller `max_bytes`, so an oversized query is refused before anything parses it. A query string (GET
    queries) over `max_query_string_bytes` is refused with 414.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        max_multipart_bytes: int | None = None,
        max_query_string_bytes: int = MAX_QUERY_STRING_BYTES,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_multipart_bytes = max_multipart_bytes or max_bytes
        self.max_query_string_bytes = max_query_string_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_query_string_bytes:
            message = Text("request.query_string_too_long", limit=self.max_query_string_bytes)
            await _reject(send, scope, 414, "URI_TOO_LONG", message)
            return
        limit = self.max_multipart_bytes if _is_multipart(scope) else self.max_bytes
        message_text = Text("request.body_too_large", limit=limit)
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _reject(send, scope, 413, "BODY_TOO_LARGE", message_text)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        watched = WatchedSend(send)
        try:
            await self.app(scope, counted_receive, watched)
        except BodyTooLarge:
            if not watched.started:
                await _reject(send, scope, 413, "BODY_TOO_LARGE", message_text)


class MultipartCsrfGuard:
    """Multipart POSTs are 'simple' requests a foreign site could forge; require a non-simple header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and _is_multipart(scope)
            and not any(_header(scope, name) for name in PREFLIGHT_HEADERS)
        ):
            await _reject(send, scope, 400, "CSRF_HEADER_MISSING", Text("request.csrf_header_missing"))
            return
        await self.app(scope, receive, send)
