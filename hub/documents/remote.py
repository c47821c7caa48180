"""Checks on bytes already in object storage (a presigned upload), without holding the object in memory.

The type is sniffed through a seekable reader that fetches byte ranges on demand (a DOCX, XLSX or ODT is
recognised by its zip directory, which sits at the end of the file); the hash is computed in one streamed
pass. Every read names the ETag that was checked, so an object overwritten meanwhile fails instead of passing.
"""

from __future__ import annotations

import io
from contextlib import closing
from typing import BinaryIO, cast

from hub.documents.sniff import sniff_content_type
from hub.storage import ObjectStore

BLOCK = 64 * 1024
# The sniffer reads the head, and for zip containers the directory and one tiny member: far less than this.
MAX_SNIFF_READ = 32 * 1024 * 1024


class _RangeReader(io.RawIOBase):
    def __init__(self, store: ObjectStore, key: str, size: int, etag: str | None) -> None:
        super().__init__()
        self._store = store
        self._key = key
        self._size = size
        self._etag = etag
        self._position = 0
        self._read_total = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise OSError("seek before the start of the object")
        self._position = base + offset
        return self._position

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        wanted = min(len(buffer), self._size - self._position)
        if wanted <= 0:
            return 0
        self._read_total += wanted
        if self._read_total > MAX_SNIFF_READ:
            raise OSError(f"sniffing {self._key} would read more than {MAX_SNIFF_READ} bytes")
        received = 0
        view = memoryview(buffer)
        with closing(
            self._store.chunks_sync(self._key, offset=self._position, length=wanted, etag=self._etag)
        ) as chunks:
            for chunk in chunks:
                view[received : received + len(chunk)] = chunk
                received += len(chunk)
        self._position += received
        return received


def sniff_stored(store: ObjectStore, key: str, size: int, etag: str | None) -> str | None:
    """The allowlisted content type of a stored object, or None; reads only the ranges the sniffer needs."""
    reader = io.BufferedReader(_RangeReader(store, key, size, etag), buffer_size=BLOCK)
    with reader:
        return sniff_content_type(cast(BinaryIO, reader))
