"""The schema's SDL at a stable URL, GET /graphql/schema.graphql, in every environment (production included):
partners and code generators read it there, since production answers no introspection. It is printed once,
from the schema the app serves, so it is the committed schema.graphql (tests/test_schema_file.py)."""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import Response
from strawberry import Schema

SDL_PATH = "/graphql/schema.graphql"


class SchemaDocument:
    """The SDL with a strong ETag, so a generator polling it gets 304 until the schema changes."""

    def __init__(self, schema: Schema) -> None:
        self.body = (schema.as_str() + "\n").encode()
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'

    async def endpoint(self, request: Request) -> Response:
        headers = {"ETag": self.etag, "Cache-Control": "no-cache"}
        if self.etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
            return Response(status_code=304, headers=headers)
        return Response(
            self.body,
            media_type="text/plain; charset=utf-8",
            headers={**headers, "Content-Disposition": 'inline; filename="schema.graphql"'},
        )
