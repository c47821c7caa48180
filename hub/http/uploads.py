"""The GraphQL multipart request (`operations`, `map`, then the files) with the files streamed: each `Upload`
variable is a hub.http.multipart.StreamedUpload that its resolver reads while the body is still arriving,
instead of a file spooled to disk before the operation starts.

The fields and the start of the first file are read before the operation runs, so a request without the files
its map names is still refused with 400 before anything runs (when the first one is missing). After the
operation, `finish_multipart` reads the rest of the body, and a body that failed meanwhile (over the size cap,
malformed, cut off) fails the request the way it would have failed before: 413, 400, or a disconnect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from starlette.requests import Request
from strawberry.file_uploads.utils import replace_placeholders_with_files

from hub.http.multipart import MultipartBody, MultipartError

SCOPE_KEY = "pantau.multipart"
UNPARSABLE = "Unable to parse the multipart body"


class StreamingRequestAdapter(StarletteRequestAdapter):
    """Strawberry's request adapter, keeping the Starlette request for the streamed body."""

    def __init__(self, request: Request) -> None:
        super().__init__(request)
        self.request = request


def _files_map(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict) or not all(
        isinstance(paths, list) and all(isinstance(path, str) for path in paths) for paths in value.values()
    ):
        raise HTTPException(400, "The multipart `map` must map file names to lists of paths")
    return value


async def parse_streamed_multipart(
    adapter: AsyncHTTPRequestAdapter, parse_json: Callable[[str | bytes], Any]
) -> Any:
    """The operations with their `Upload` variables set to streams, read up to the first mapped file."""
    if not isinstance(adapter, StreamingRequestAdapter):
        raise TypeError("streamed multipart parsing needs the StreamingRequestAdapter")
    request = adapter.request
    try:
        body = MultipartBody(request.headers.get("content-type", ""), request.stream())
        request.scope[SCOPE_KEY] = body
        first = await body.next_file()
        operations = parse_json(body.fields.get("operations", "{}"))
        files_map = _files_map(parse_json(body.fields.get("map", "{}")))
        uploads = {name: body.upload(name) for name in files_map}
        while first is not None and first not in uploads:  # files the map does not name are dropped
            first = await body.next_file()
    except MultipartError as error:
        raise HTTPException(400, UNPARSABLE) from error
    if uploads and first is None:
        raise KeyError("the body ended before any of the files its map names")
    return replace_placeholders_with_files(operations, files_map, uploads)


async def finish_multipart(request: Request) -> None:
    """Reads the rest of a streamed multipart body after the operation; raises how the body failed."""
    body = request.scope.pop(SCOPE_KEY, None)
    if not isinstance(body, MultipartBody):
        return
    try:
        await body.finish()
    except MultipartError as error:
        raise HTTPException(400, UNPARSABLE) from error
