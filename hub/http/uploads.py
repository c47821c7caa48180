"""The GraphQL multipart request (`operations`, `map`, then the files) with the files streamed: each `Upload`
variable is a hub.http.multipart.StreamedUpload that its resolver reads while the body is still arriving,
instead of a file spooled to disk before the operation starts.

`operations` and `map` (read within the text-field budget, the JSON body cap) and the start of the first file
are read and checked before the operation runs: a body without the files its map names, or with a map or
operations that do not parse, is refused before anything runs. A resolver waits for the rest of the body
(`StreamedUpload.settle`) before it records what its file brought, so a body that fails after the file (too
many parts, cut off, a mapped file missing) leaves no document behind. After the operation,
`finish_multipart` reads what is left of the body and raises how it failed.

Every refusal here is a RequestRefused with a MultipartCode: a JSON error, like the hub's other refusals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from starlette.requests import Request
from strawberry.file_uploads.utils import replace_placeholders_with_files

from hub.http.multipart import ClientGone, MultipartBody, MultipartCode, MultipartError
from hub.http.refusals import RequestRefused

log = logging.getLogger(__name__)
SCOPE_KEY = "pantau.multipart"
UNPARSABLE = "Unable to parse the multipart body"
MISSING = "File(s) missing in form data"


class StreamingRequestAdapter(StarletteRequestAdapter):
    """Strawberry's request adapter, keeping the Starlette request for the streamed body."""

    def __init__(self, request: Request) -> None:
        super().__init__(request)
        self.request = request


def refused(error: MultipartError) -> RequestRefused:
    message = str(error) if error.code is MultipartCode.FILE_MISSING else f"{UNPARSABLE}: {error}"
    return RequestRefused(400, error.code.value, message)


def _json(parse_json: Callable[[str | bytes], Any], raw: str, name: str, code: MultipartCode) -> Any:
    try:
        return parse_json(raw)
    except (HTTPException, ValueError) as error:  # Strawberry's parse_json answers bad JSON with 400
        raise MultipartError(f"the multipart `{name}` is not valid JSON", code) from error


def _files_map(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict) or not all(
        isinstance(paths, list) and all(isinstance(path, str) for path in paths) for paths in value.values()
    ):
        raise MultipartError(
            "the multipart `map` must map file names to lists of paths", MultipartCode.MAP_INVALID
        )
    return value


def _operations_and_map(
    body: MultipartBody, parse_json: Callable[[str | bytes], Any]
) -> tuple[Any, dict[str, list[str]]]:
    raw = body.fields.get("operations", "{}")
    operations = _json(parse_json, raw, "operations", MultipartCode.OPERATIONS_INVALID)
    if not isinstance(operations, dict | list):
        raise MultipartError(
            "the multipart `operations` must be a JSON object or list", MultipartCode.OPERATIONS_INVALID
        )
    files_map = _json(parse_json, body.fields.get("map", "{}"), "map", MultipartCode.MAP_INVALID)
    return operations, _files_map(files_map)


async def parse_streamed_multipart(
    adapter: AsyncHTTPRequestAdapter, parse_json: Callable[[str | bytes], Any], max_fields_bytes: int
) -> Any:
    """The operations with their `Upload` variables set to streams, read up to the first mapped file."""
    if not isinstance(adapter, StreamingRequestAdapter):
        raise TypeError("streamed multipart parsing needs the StreamingRequestAdapter")
    request = adapter.request
    try:
        body = MultipartBody(request.headers.get("content-type", ""), request.stream(), max_fields_bytes)
        request.scope[SCOPE_KEY] = body
        first = await body.next_file()
        operations, files_map = _operations_and_map(body, parse_json)
        uploads = {name: body.upload(name) for name in files_map}
        while first is not None and first not in uploads:  # files the map does not name are dropped
            first = await body.next_file()
        if uploads and first is None:
            raise MultipartError(f"{MISSING}: {', '.join(sorted(uploads))}", MultipartCode.FILE_MISSING)
        try:
            return replace_placeholders_with_files(operations, files_map, uploads)
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise MultipartError(
                f"the multipart `map` names a path the operations do not have: {error}",
                MultipartCode.MAP_INVALID,
            ) from None
    except ClientGone:
        raise  # nobody to refuse: the request ends quietly (hub.http.disconnects)
    except MultipartError as error:
        raise refused(error) from error


async def drop_multipart(request: Request) -> None:
    """Reads the rest of a streamed multipart body after a refusal, whatever becomes of it."""
    try:
        await finish_multipart(request)
    except Exception as error:  # the refusal under way is what the client is told
        log.debug("the rest of a refused multipart body failed too: %r", error)


async def finish_multipart(request: Request) -> None:
    """Reads the rest of a streamed multipart body after the operation; raises how the body failed."""
    body = request.scope.pop(SCOPE_KEY, None)
    if not isinstance(body, MultipartBody):
        return
    try:
        await body.finish()
    except ClientGone:
        raise  # nobody to refuse: the request ends quietly (hub.http.disconnects)
    except MultipartError as error:
        raise refused(error) from error
