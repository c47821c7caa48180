"""The sealed file format of backups: what opens, and every way a sealed file can be changed that must not."""

from __future__ import annotations

import pytest

from hub.backup.crypto import CHUNK_BYTES, HEADER_BYTES, BackupKey, open_all, seal
from hub.backup.errors import BackupError, BackupErrorCode

KEY = BackupKey.derive(b"unit-test-backup-key-0123456789abcdef")
DATA = bytes(range(256)) * (CHUNK_BYTES // 256 * 2 + 3)  # two full chunks and a part


def sealed(name: str = "blobs/aa/x", data: bytes = DATA) -> bytes:
    return b"".join(seal(KEY, name, [data[:1000], data[1000:]]))


def refused(name: str, blob: bytes) -> BackupError:
    with pytest.raises(BackupError) as error:
        open_all(KEY, name, [blob])
    assert error.value.file == name
    return error.value


def chunk_spans(blob: bytes) -> list[tuple[int, int]]:
    spans, offset = [], HEADER_BYTES
    while offset < len(blob):
        length = int.from_bytes(blob[offset : offset + 4], "big")
        end = offset + 4 + 12 + length
        spans.append((offset, end))
        offset = end
    return spans


def test_round_trip_in_chunks_and_empty() -> None:
    assert open_all(KEY, "blobs/aa/x", [sealed()]) == DATA
    assert len(chunk_spans(sealed())) == 3
    empty = b"".join(seal(KEY, "e", []))
    assert open_all(KEY, "e", [empty]) == b""


def test_another_key_is_told_apart_from_damage() -> None:
    other = BackupKey.derive(b"another-key-entirely-0123456789abcdef")
    with pytest.raises(BackupError) as error:
        open_all(other, "blobs/aa/x", [sealed()])
    assert error.value.code is BackupErrorCode.WRONG_KEY


def test_renamed_reordered_truncated_or_extended_files_are_refused() -> None:
    blob = sealed()
    assert refused("blobs/aa/y", blob).code is BackupErrorCode.TAMPERED  # moved to another name
    (a0, a1), (b0, b1), (c0, _) = chunk_spans(blob)
    swapped = blob[:a0] + blob[b0:b1] + blob[a0:a1] + blob[c0:]
    assert refused("blobs/aa/x", swapped).code is BackupErrorCode.TAMPERED
    assert "cut short" in refused("blobs/aa/x", blob[:c0]).message  # last chunk dropped
    assert refused("blobs/aa/x", blob + b"\0").code is BackupErrorCode.TAMPERED
    header_changed = blob[:20] + bytes([blob[20] ^ 1]) + blob[21:]
    assert refused("blobs/aa/x", header_changed).code is BackupErrorCode.TAMPERED
    byte_changed = bytearray(blob)
    byte_changed[b0 + 100] ^= 1
    assert "chunk 1" in refused("blobs/aa/x", bytes(byte_changed)).message


def test_blob_names_hide_the_content_hash_and_depend_on_the_key() -> None:
    digest = "ab" * 32
    name = KEY.blob_name(digest)
    assert digest not in name
    assert name != BackupKey.derive(b"another-key-entirely-0123456789abcdef").blob_name(digest)
    assert name == KEY.blob_name(digest)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(BackupError) as error:
        BackupKey.derive(b"too short")
    assert error.value.code is BackupErrorCode.NO_KEY
