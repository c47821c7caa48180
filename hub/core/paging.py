"""Page sizes and cursors, for every connection and listing.

A cursor carries the sort values of the last row a client saw, so that the next page starts after it. Those
values are record fields (dates, statuses, scores) that a reader may not be allowed to see — a partner
granted only `Report.title` must not learn `createdAt` from a base64 cursor — so every cursor is sealed:
encrypted and authenticated (AES-256-GCM) with a key of this deployment, and bound to its kind (a reports
cursor cannot be replayed on cases). A cursor that does not open is refused with `PaginationError`.

The key comes from the composition root (`configure_cursor_key`, from the settings' token secret); until it
is set, a random key of this process is used.

Every listing returns a `Page` and orders its rows by a `Keyset` — sort keys ending with a unique one — whose
cursors hold a row's sort values and open only for that keyset's kind.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar, overload

from beanie import Document, SortDirection
from bson import ObjectId
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
_NONCE_BYTES = 12
_KEY_INFO = b"pantau cursor key v1"

T = TypeVar("T")
D = TypeVar("D", bound=Document)
P = TypeVar("P", bound=BaseModel)
# The sort values of the last row a client saw, in the order of its keyset's keys.
Position = tuple[Any, ...]


class PaginationError(ValueError):
    """A page size out of range, or a cursor that is not one of ours (or not for this listing)."""


def page_size(first: int | None, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    size = default if first is None else first
    if size < 0 or size > maximum:
        raise PaginationError(f"`first` must be between 0 and {maximum}")
    return size


class _Sealer:
    def __init__(self) -> None:
        self._aead = AESGCM(secrets.token_bytes(32))

    def configure(self, secret: bytes) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(secret)
        self._aead = AESGCM(key)

    def seal(self, kind: str, plain: bytes) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, plain, kind.encode())
        return base64.urlsafe_b64encode(sealed).decode().rstrip("=")

    def open(self, kind: str, cursor: str) -> bytes:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            if len(raw) <= _NONCE_BYTES:
                raise ValueError
            return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], kind.encode())
        except (binascii.Error, ValueError, InvalidTag):
            raise PaginationError(f"the cursor {cursor[:80]!r} is not valid here") from None


_SEALER = _Sealer()


def configure_cursor_key(secret: bytes) -> None:
    """Called once by each composition root: processes with the same secret read each other's cursors."""
    _SEALER.configure(secret)


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, ObjectId):
        return {"$o": str(value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"a cursor cannot hold {type(value).__name__}")


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        if "$t" in value:
            return datetime.fromisoformat(value["$t"])
        if "$o" in value:
            return ObjectId(value["$o"])
        raise ValueError("unknown cursor value")
    return value


def encode_cursor(kind: str, values: list[Any]) -> str:
    """A sealed cursor holding `values` (None, bool, numbers, strings, datetimes, ObjectIds), for `kind`."""
    plain = json.dumps([_tagged(value) for value in values], separators=(",", ":"))
    return _SEALER.seal(kind, plain.encode())


def decode_cursor(kind: str, cursor: str, length: int | None = None) -> list[Any]:
    """The values sealed in a cursor made by `encode_cursor` for the same kind (and, given `length`, with
    that many values); anything else raises PaginationError."""
    plain = _SEALER.open(kind, cursor)
    try:
        data = json.loads(plain)
        if not isinstance(data, list) or (length is not None and len(data) != length):
            raise ValueError
        return [_untagged(value) for value in data]
    except (ValueError, TypeError):
        raise PaginationError(f"the cursor {cursor[:80]!r} is not valid here") from None


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: its rows, how many match over all pages, and whether another page follows."""

    items: list[T]
    total_count: int
    has_next_page: bool

    @classmethod
    def of(cls, fetched: list[T], first: int, total_count: int) -> Page[T]:
        """From `first + 1` fetched rows: the one beyond the page only tells that another page follows."""
        return cls(items=fetched[:first], total_count=total_count, has_next_page=len(fetched) > first)

    @classmethod
    def following(
        cls, rows: Sequence[T], key: Callable[[T], Any], after: Position | None, first: int
    ) -> Page[T]:
        """A page of rows held in memory, sorted ascending by a unique `key`: those after the position."""
        remaining = [row for row in rows if after is None or key(row) > after[0]]
        return cls.of(remaining[: first + 1], first, len(rows))


@dataclass(frozen=True)
class Keyset:
    """A listing's total order: MongoDB sort keys, the last one unique so that ties break the same way every
    time. A cursor made here holds a row's values of these keys, sealed for `kind`: give every listing (and
    every order of one) its own kind, so that a cursor is refused by any other."""

    kind: str
    keys: tuple[tuple[str, SortDirection], ...]

    def values(self, row: Any) -> Position:
        """The row's sort values (`_id` is read from `row.id`)."""
        return tuple(getattr(row, "id" if name == "_id" else name) for name, _ in self.keys)

    def cursor(self, row: Any) -> str:
        return encode_cursor(self.kind, list(self.values(row)))

    def position(self, cursor: str | None) -> Position | None:
        """Where a client's `after` cursor points (None without one); a cursor not made by this keyset raises
        PaginationError."""
        if cursor is None:
            return None
        return tuple(decode_cursor(self.kind, cursor, len(self.keys)))

    @property
    def sort(self) -> list[tuple[str, SortDirection]]:
        return list(self.keys)

    def after(self, position: Position) -> dict[str, Any]:
        """MongoDB: the rows that come after the position in this order."""
        alternatives: list[dict[str, Any]] = []
        for index, (name, direction) in enumerate(self.keys):
            clause: dict[str, Any] = {
                earlier: value for (earlier, _), value in zip(self.keys[:index], position, strict=False)
            }
            clause[name] = {"$gt" if direction is SortDirection.ASCENDING else "$lt": position[index]}
            alternatives.append(clause)
        return alternatives[0] if len(alternatives) == 1 else {"$or": alternatives}

    def narrowed(self, criteria: dict[str, Any], position: Position | None) -> dict[str, Any]:
        """The listing's criteria, and after the position when there is one."""
        if position is None:
            return criteria
        return {"$and": [criteria, self.after(position)]} if criteria else self.after(position)

    @overload
    async def page(
        self, model: type[D], criteria: dict[str, Any], after: Position | None, first: int
    ) -> Page[D]: ...

    @overload
    async def page(
        self,
        model: type[D],
        criteria: dict[str, Any],
        after: Position | None,
        first: int,
        *,
        projection: type[P],
    ) -> Page[P]: ...

    async def page(
        self,
        model: type[D],
        criteria: dict[str, Any],
        after: Position | None,
        first: int,
        *,
        projection: type[P] | None = None,
    ) -> Page[D] | Page[P]:
        """A page of the model's documents matching the criteria, in this order, after the position (each
        read as `projection`, a model of some of the fields, when given); the total counts every page. The
        count and the page are read at the same time."""
        rows = model.find(self.narrowed(criteria, after)).sort(self.sort).limit(first + 1)
        if projection is not None:
            total, projected = await asyncio.gather(
                model.find(criteria).count(), rows.project(projection).to_list()
            )
            return Page.of(projected, first, total)
        total, found = await asyncio.gather(model.find(criteria).count(), rows.to_list())
        return Page.of(found, first, total)
