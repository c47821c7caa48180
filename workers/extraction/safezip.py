"""Reading members of ZIP-based office files (DOCX, XLSX, ODT) without trusting the archive.

Before anything is decompressed: the number of members (read from the end record, before the central
directory is parsed), encryption, each member's compression ratio and the declared total against a cap that
depends on the archive's size. While reading: every byte is counted against the member's declared size and
the archive's cap, so a member that lies about its size is stopped as well.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator

from workers.extraction.errors import ExtractionError
from workers.extraction.limits import ExtractionLimits, MiB

CHUNK = 64 * 1024
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SEARCH = 22 + 0xFFFF  # the fixed record plus the longest comment
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError)


def _declared_members(data: bytes) -> int | None:
    position = data.rfind(_END_RECORD, max(0, len(data) - _END_RECORD_SEARCH))
    if position < 0 or position + 22 > len(data):
        return None
    (total,) = struct.unpack_from("<H", data, position + 10)
    return int(total)


def _megabytes(size: int) -> str:
    return f"{size / MiB:.0f} MB" if size >= MiB else f"{size / 1024:.0f} KB"


class SafeZip:
    def __init__(self, data: bytes, label: str, limits: ExtractionLimits) -> None:
        self.label = label
        self.cap = limits.zip_cap(len(data))
        self._read_total = 0
        declared = _declared_members(data)
        if declared is not None and declared > limits.zip_max_members:
            raise self._bomb(f"it has {declared} parts (at most {limits.zip_max_members})")
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except _READ_ERRORS as error:
            raise ExtractionError(f"the {label} file is damaged: {error}") from error
        if len(infos) > limits.zip_max_members:
            raise self._bomb(f"it has {len(infos)} parts (at most {limits.zip_max_members})")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise ExtractionError(f"the {label} file is password-protected")
            total += info.file_size
            if info.file_size > limits.zip_ratio_grace_bytes and (
                info.file_size > limits.zip_max_ratio * max(info.compress_size, 1)
            ):
                ratio = info.file_size / max(info.compress_size, 1)
                raise self._bomb(
                    f"its part {info.filename!r} expands {ratio:.0f} times "
                    f"(at most {limits.zip_max_ratio} times)"
                )
        if total > self.cap:
            raise self._bomb(f"its parts expand to {_megabytes(total)} (at most {_megabytes(self.cap)})")
        self._infos = {info.filename: info for info in infos}

    def _bomb(self, detail: str) -> ExtractionError:
        return ExtractionError(f"the {self.label} file was refused as a possible zip bomb: {detail}")

    def names(self) -> list[str]:
        return list(self._infos)

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def require(self, name: str) -> None:
        if name not in self._infos:
            raise ExtractionError(f"the {self.label} file is damaged: it has no {name}")

    def chunks(self, name: str) -> Iterator[bytes]:
        """The member's bytes in chunks, counted; raises ExtractionError when it is damaged."""
        self.require(name)
        info = self._infos[name]
        read = 0
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(CHUNK):
                    read += len(chunk)
                    self._read_total += len(chunk)
                    if read > info.file_size:
                        raise self._bomb(f"its part {name!r} holds more than its declared size")
                    if self._read_total > self.cap:
                        raise self._bomb(f"its parts expand to more than {_megabytes(self.cap)}")
                    yield chunk
        except _READ_ERRORS as error:
            raise ExtractionError(f"the {self.label} file is damaged ({name}: {error})") from error
