"""Request-level guards as plain ASGI middleware: a body size cap and the CSRF rule for multipart uploads."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A browser cannot send any of these cross-site without a CORS preflight, which we never grant.
PREFLIGHT_HEADERS = (b"graphql-preflight", b"apollo-require-preflight", b"x-pantau-csrf")


class BodyTooLarge(Exception):
    pass


async def _reject(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
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


class BodySizeLimit:
    """Refuses bodies over `max_bytes` with 413: by the declared length, then by counting as it streams."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message_text = f"the request body is larger than the limit of {self.max_bytes} bytes"
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _reject(send, 413, "BODY_TOO_LARGE", message_text)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if not started:
                await _reject(send, 413, "BODY_TOO_LARGE", message_text)


class MultipartCsrfGuard:
    """Multipart POSTs are 'simple' requests a foreign site could forge; require a non-simple header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            content_type = (_header(scope, b"content-type") or b"").lower()
            if content_type.startswith(b"multipart/") and not any(
                _header(scope, name) for name in PREFLIGHT_HEADERS
            ):
                await _reject(
                    send,
                    400,
                    "CSRF_HEADER_MISSING",
                    "multipart requests must carry a 'GraphQL-Preflight: 1' header",
                )
                return
        await self.app(scope, receive, send)
