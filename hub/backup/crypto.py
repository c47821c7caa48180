"""Sealing backup files with the operator's key: AES-256-GCM per chunk, from the `cryptography` library.

A sealed file is a header and a sequence of chunks:

    header = MAGIC (8 bytes) | key id (8) | file id (16, random)
    chunk  = ciphertext length (4, big-endian) | nonce (12, random) | ciphertext with its 16-byte tag

Each chunk is encrypted with associated data binding it to the header, the file's name in the backup, its
position and whether it is the last one. So a chunk cannot be moved to another file or place, a file cannot
be renamed, reordered, cut short or extended, and the header cannot be edited, without the open failing.
The key id (derived from the key, revealing nothing of it) lets a file sealed with another key be told apart
from a damaged one.

Three keys are derived from the operator's secret with HKDF-SHA256: one encrypts, one names blobs (an HMAC
of their content hash, so the target does not learn which known file it holds), one gives the key id.
Random 96-bit nonces allow far more chunks than a deployment writes in its lifetime (2^32 per key).
"""

from __future__ import annotations

import hmac
import os
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hub.backup.errors import BackupError, BackupErrorCode

MAGIC = b"PNTBAK1\n"
KEY_ID_BYTES = 8
FILE_ID_BYTES = 16
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + FILE_ID_BYTES
NONCE_BYTES = 12
TAG_BYTES = 16
CHUNK_BYTES = 1024 * 1024
_LENGTH = struct.Struct(">I")
_POSITION = struct.Struct(">QB")


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pantau-backup", info=purpose).derive(secret)


@dataclass(frozen=True)
class BackupKey:
    encryption: bytes
    naming: bytes
    key_id: bytes

    @classmethod
    def derive(cls, secret: bytes) -> BackupKey:
        if len(secret) < 32:
            raise BackupError(BackupErrorCode.NO_KEY, "the backup key must be at least 32 characters long")
        return cls(
            encryption=_derive(secret, b"v1 encryption"),
            naming=_derive(secret, b"v1 naming"),
            key_id=_derive(secret, b"v1 key id")[:KEY_ID_BYTES],
        )

    @property
    def key_id_hex(self) -> str:
        return self.key_id.hex()

    def blob_name(self, content_sha256: str) -> str:
        """Where a blob with this plaintext SHA-256 lives: the same content is stored once across backups."""
        name = hmac.new(self.naming, content_sha256.encode(), sha256).hexdigest()
        return f"blobs/{name[:2]}/{name}"


def _associated(header: bytes, name: str, index: int, last: bool) -> bytes:
    return header + name.encode() + _POSITION.pack(index, int(last))


def _rechunk(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    yield bytes(buffer)  # the last piece, possibly empty: every file ends with a chunk marked last


def seal(key: BackupKey, name: str, plaintext: Iterable[bytes]) -> Iterator[bytes]:
    """The sealed bytes of `plaintext` as the file `name`, produced chunk by chunk."""
    aead = AESGCM(key.encryption)
    header = MAGIC + key.key_id + os.urandom(FILE_ID_BYTES)
    yield header
    pieces = _rechunk(plaintext, CHUNK_BYTES)
    current = next(pieces)
    index = 0
    for following in pieces:
        yield _seal_chunk(aead, header, name, index, current, last=False)
        current, index = following, index + 1
    yield _seal_chunk(aead, header, name, index, current, last=True)


def _seal_chunk(aead: AESGCM, header: bytes, name: str, index: int, data: bytes, *, last: bool) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = aead.encrypt(nonce, data, _associated(header, name, index, last))
    return _LENGTH.pack(len(ciphertext)) + nonce + ciphertext


class _Reader:
    """Exact-size reads over a stream of byte chunks."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = bytearray()

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        taken = bytes(self._buffer[:size])
        del self._buffer[:size]
        return taken


def open_sealed(key: BackupKey, name: str, sealed: Iterable[bytes]) -> Iterator[bytes]:
    """The plaintext of the sealed file `name`, chunk by chunk, each authenticated before it is given out.

    Raises BackupError WRONG_KEY (another key sealed it) or TAMPERED (anything else amiss), naming the file.
    """
    aead = AESGCM(key.encryption)
    reader = _Reader(sealed)
    header = reader.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
        raise BackupError(BackupErrorCode.TAMPERED, f"{name} is not a sealed backup file", name)
    found_id = header[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES]
    if found_id != key.key_id:
        raise BackupError(
            BackupErrorCode.WRONG_KEY,
            f"{name} was sealed with another key (key id {found_id.hex()}); the configured backup key has id "
            f"{key.key_id_hex}",
            name,
        )
    index = 0
    while True:
        length_bytes = reader.read(_LENGTH.size)
        if len(length_bytes) < _LENGTH.size:
            raise BackupError(BackupErrorCode.TAMPERED, f"{name} is cut short after chunk {index}", name)
        (length,) = _LENGTH.unpack(length_bytes)
        if length < TAG_BYTES or length > CHUNK_BYTES + TAG_BYTES:
            raise BackupError(
                BackupErrorCode.TAMPERED, f"{name}: chunk {index} has an impossible length", name
            )
        nonce, ciphertext = reader.read(NONCE_BYTES), reader.read(length)
        if len(ciphertext) < length:
            raise BackupError(BackupErrorCode.TAMPERED, f"{name} is cut short in chunk {index}", name)
        plaintext, last = _open_chunk(aead, header, name, index, nonce, ciphertext)
        yield plaintext
        if last:
            break
        index += 1
    if reader.read(1):
        raise BackupError(BackupErrorCode.TAMPERED, f"{name} has bytes after its last chunk", name)


def _open_chunk(
    aead: AESGCM, header: bytes, name: str, index: int, nonce: bytes, ciphertext: bytes
) -> tuple[bytes, bool]:
    """Tries the chunk as a middle one, then as the last one: the flag is authenticated, not stored."""
    for last in (False, True):
        try:
            return aead.decrypt(nonce, ciphertext, _associated(header, name, index, last)), last
        except InvalidTag:
            continue
    raise BackupError(
        BackupErrorCode.TAMPERED, f"{name}: chunk {index} fails authentication (changed or damaged)", name
    )


def open_all(key: BackupKey, name: str, sealed: Iterable[bytes]) -> bytes:
    return b"".join(open_sealed(key, name, sealed))
