"""Multipart request bodies read as they arrive: the fields before a file, then each file as a stream that its
consumer reads at its own pace. An upload can go on to object storage while it is still arriving; no file is
held in memory or written to the local disk on the way.

Files are normally read in the order they arrive. One read out of order is still served: bytes of a file that
nobody is reading yet are spooled (in memory up to 1 MiB, then in a temporary file), bytes of a file that was
closed unread, or that nobody asked for, are dropped. `drain` reads the rest of the body keeping the files
still wanted (a consumer calls it before it commits to what it read: the body may still fail after its file);
`finish` reads the rest of the body, so that a client still sending gets its response, and tells how the body
failed, if it did. Every failure is a MultipartError with a code (MultipartCode).

The text fields (`operations`, `map`, anything else that is not a file) share one byte budget, so that a body
of many fields cannot make the server hold more than that in memory.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from enum import StrEnum
from tempfile import SpooledTemporaryFile

import anyio.to_thread
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect

from hub.errors import DomainError

SPOOL_MEMORY_BYTES = 1024 * 1024
READ_BYTES = 1024 * 1024  # what `read()` gives at most when no size is asked for
MAX_FIELDS_BYTES = 1024 * 1024  # all text fields together, unless the caller gives its own budget
MAX_FIELDS = 1000
MAX_FILES = 1000


class MultipartCode(StrEnum):
    MALFORMED = "MULTIPART_MALFORMED"
    TOO_MANY_PARTS = "MULTIPART_TOO_MANY_PARTS"
    FIELDS_TOO_LARGE = "MULTIPART_FIELDS_TOO_LARGE"
    FILE_MISSING = "MULTIPART_FILE_MISSING"
    MAP_INVALID = "MULTIPART_MAP_INVALID"
    OPERATIONS_INVALID = "MULTIPART_OPERATIONS_INVALID"


class MultipartError(DomainError, ValueError):
    """The body is not a well-formed multipart body, or goes over a limit; `code` says which. A client's
    mistake (a DomainError): a resolver reading a file that fails this way is not an internal error."""

    def __init__(self, message: str, code: MultipartCode = MultipartCode.MALFORMED) -> None:
        super().__init__(code, message)


class ClientGone(MultipartError, ClientDisconnect):
    """The client went away before the body ended. A client's doing (a MultipartError, so a resolver reading
    a file does not report it as an internal error) and a ClientDisconnect, so that the request ends quietly
    (hub.http.disconnects) instead of being answered."""

    def __init__(self) -> None:
        super().__init__("the client closed the connection before the multipart body ended")


def _piece(data: bytes, start: int, end: int) -> bytes:
    """The part's bytes of a chunk: the chunk itself when they are all of it (most of a large file's chunks),
    instead of a copy."""
    return data if start == 0 and end == len(data) else data[start:end]


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    content_type: str | None = None
    headers: dict[bytes, bytes] = field(default_factory=dict)
    value: bytearray = field(default_factory=bytearray)
    upload: StreamedUpload | None = None
    ended: bool = False


class StreamedUpload:
    """One file of the body, read once from the start: `read` gives some bytes (at most `size`, or at most
    READ_BYTES), b"" at its end."""

    def __init__(self, body: MultipartBody, field_name: str) -> None:
        self._body = body
        self.field_name = field_name
        self.filename: str | None = None
        self.content_type: str | None = None
        self.started = False
        self.ended = False
        self.closed = False
        self.live = False
        self._pending: deque[bytes] = deque()
        self._spool: SpooledTemporaryFile[bytes] | None = None
        self._rewound = False

    async def start(self) -> str | None:
        """Reads on to the start of this file (spooling any before it); the file name its sender gave."""
        while not self.started:
            if not await self._body.advance():
                raise MultipartError(f"the body has no file {self.field_name!r}", MultipartCode.FILE_MISSING)
        return self.filename

    async def settle(self) -> None:
        """Waits for the rest of the body (keeping the other files still wanted); raises when the body fails
        or lacks a file its map names. Call it before committing to what this file brought."""
        await self._body.drain()

    async def read(self, size: int = -1) -> bytes:
        if self.closed:
            raise MultipartError(f"the file {self.field_name!r} was read already")
        size = size if size >= 0 else READ_BYTES
        if size == 0:
            return b""
        self.live = True
        try:
            while not self._pending and self._spool is None and not self.ended:
                if not await self._body.advance():
                    raise MultipartError(f"the body has no complete file {self.field_name!r}")
        finally:
            self.live = False
        if self._spool is not None:
            return await self._read_spool(size)
        if not self._pending:
            return b""
        chunk = self._pending.popleft()
        if size < len(chunk):
            self._pending.appendleft(chunk[size:])
            chunk = chunk[:size]
        return chunk

    async def _read_spool(self, size: int) -> bytes:
        spool = self._spool
        assert spool is not None
        if not self._rewound:  # spool the rest of this file too, then serve it from the start
            while not self.ended:
                if not await self._body.advance():
                    raise MultipartError(f"the body has no complete file {self.field_name!r}")
            await anyio.to_thread.run_sync(spool.seek, 0)
            self._rewound = True
        return await anyio.to_thread.run_sync(spool.read, size)

    async def accept(self, data: bytes) -> None:
        if self.closed:
            return
        if self.live:  # its reader is waiting for these bytes
            self._pending.append(data)
            return
        if self._spool is None:
            self._spool = SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)  # noqa: SIM115 (closed in close())
            while self._pending:
                await anyio.to_thread.run_sync(self._spool.write, self._pending.popleft())
        await anyio.to_thread.run_sync(self._spool.write, data)

    async def close(self) -> None:
        """Done with this file: whatever more of it arrives is dropped."""
        self.closed = True
        self._pending.clear()
        if self._spool is not None:
            await anyio.to_thread.run_sync(self._spool.close)
            self._spool = None


class MultipartBody:
    """The parser over one request body. Events from the parser are handled one at a time, so the caller can
    stop at the start of a file, before any of its bytes are routed anywhere."""

    def __init__(
        self, content_type: str, stream: AsyncIterator[bytes], max_fields_bytes: int = MAX_FIELDS_BYTES
    ) -> None:
        _, params = parse_options_header(content_type)
        boundary = params.get(b"boundary")
        if not boundary:
            raise MultipartError("the multipart body has no boundary")
        self._stream = stream
        self._events: deque[tuple[str, bytes]] = deque()
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": lambda: self._events.append(("begin", b"")),
                "on_header_field": lambda data, start, end: self._events.append(("field", data[start:end])),
                "on_header_value": lambda data, start, end: self._events.append(("value", data[start:end])),
                "on_header_end": lambda: self._events.append(("header_end", b"")),
                "on_headers_finished": lambda: self._events.append(("headers_done", b"")),
                "on_part_data": lambda data, start, end: self._events.append(
                    ("data", _piece(data, start, end))
                ),
                "on_part_end": lambda: self._events.append(("end", b"")),
                "on_end": lambda: self._events.append(("body_end", b"")),
            },
        )
        self.fields: dict[str, str] = {}
        self.uploads: dict[str, StreamedUpload] = {}
        self.failure: BaseException | None = None
        self._part = _Part()
        self._header_name = b""
        self._header_value = b""
        self._max_fields_bytes = max_fields_bytes
        self._fields_bytes = 0
        self._fields = 0
        self._files = 0
        self._complete = False
        self._exhausted = False
        self._file_started = False

    def upload(self, field_name: str) -> StreamedUpload:
        """The file part of this name, as a stream (it may not have arrived yet, or just have started)."""
        upload = self.uploads.get(field_name)
        if upload is None:
            upload = self.uploads[field_name] = StreamedUpload(self, field_name)
            part = self._part
            if part.filename is not None and part.name == field_name and not part.ended:
                self._bind(part, upload)
        return upload

    def _bind(self, part: _Part, upload: StreamedUpload) -> None:
        if part.upload is None and not upload.started:  # a second part of the same name is dropped
            upload.started = True
            upload.filename, upload.content_type = part.filename, part.content_type
            part.upload = upload

    async def next_file(self) -> str | None:
        """Reads on to the start of the next file part; its field name, or None at the end of the body. The
        fields before it are in `fields`."""
        while await self.advance():
            if self._file_started:
                self._file_started = False
                return self._part.name
        return None

    async def advance(self) -> bool:
        """Handles the next parser event (reading more of the body when needed); False at the end."""
        while not self._events:
            if self._exhausted:
                return False
            await self._read_chunk()
        kind, data = self._events.popleft()
        await self._handle(kind, data)
        return True

    async def _read_chunk(self) -> None:
        if self.failure is not None:
            raise self.failure
        try:
            chunk = await anext(self._stream)
        except StopAsyncIteration:
            self._exhausted = True
            self._parser.finalize()
            if not self._complete:
                self.failure = MultipartError("the multipart body ended before its closing boundary")
                raise self.failure from None
            return
        except ClientDisconnect as error:
            self.failure = ClientGone()
            raise self.failure from error
        except Exception as error:
            self.failure = error
            raise
        try:
            self._parser.write(chunk)
        except FormParserError as error:
            self.failure = MultipartError(f"the multipart body is malformed: {error}")
            raise self.failure from None

    async def _handle(self, kind: str, data: bytes) -> None:
        part = self._part
        if kind == "data":
            if part.filename is None:
                self._fields_bytes += len(data)
                if self._fields_bytes > self._max_fields_bytes:
                    raise self._fail(
                        f"the text fields are over {self._max_fields_bytes} bytes in all (at {part.name!r})",
                        MultipartCode.FIELDS_TOO_LARGE,
                    )
                part.value.extend(data)
            elif part.upload is not None:
                await part.upload.accept(data)
        elif kind == "begin":
            self._part = _Part()
        elif kind == "field":
            self._header_name += data
        elif kind == "value":
            self._header_value += data
        elif kind == "header_end":
            part.headers[self._header_name.lower()] = self._header_value
            self._header_name = self._header_value = b""
        elif kind == "headers_done":
            self._start_part(part)
        elif kind == "end":
            self._end_part(part)
        elif kind == "body_end":
            self._complete = True

    def _fail(self, message: str, code: MultipartCode = MultipartCode.MALFORMED) -> MultipartError:
        self.failure = MultipartError(message, code)
        return self.failure

    def _start_part(self, part: _Part) -> None:
        _, options = parse_options_header(part.headers.get(b"content-disposition"))
        if b"name" not in options:
            raise self._fail('a part has no "name" in its Content-Disposition header')
        part.name = _decode(options[b"name"])
        if b"filename" not in options:
            self._fields += 1
            if self._fields > MAX_FIELDS:
                raise self._fail(f"the body has more than {MAX_FIELDS} fields", MultipartCode.TOO_MANY_PARTS)
            return
        self._files += 1
        if self._files > MAX_FILES:
            raise self._fail(f"the body has more than {MAX_FILES} files", MultipartCode.TOO_MANY_PARTS)
        part.filename = _decode(options[b"filename"])
        part.content_type = (
            _decode(part.headers[b"content-type"]) if b"content-type" in part.headers else None
        )
        upload = self.uploads.get(part.name)
        if upload is not None:
            self._bind(part, upload)
        self._file_started = True

    def _end_part(self, part: _Part) -> None:
        part.ended = True
        if part.filename is None:
            self.fields[part.name] = _decode(bytes(part.value))
        elif part.upload is not None:
            part.upload.ended = True

    async def drain(self) -> None:
        """Reads the rest of the body: files still wanted are spooled, the rest dropped. Raises how the body
        failed, or that it lacks a file that was asked for."""
        while self.failure is None and await self.advance():
            pass
        if self.failure is not None:
            raise self.failure
        missing = sorted(name for name, upload in self.uploads.items() if not upload.started)
        if missing:
            raise self._fail(
                f"File(s) missing in form data: {', '.join(missing)}", MultipartCode.FILE_MISSING
            )

    async def finish(self) -> None:
        """Closes every file, reads the rest of the body (dropping it), and raises how the body failed."""
        for upload in self.uploads.values():
            await upload.close()
        await self.drain()
