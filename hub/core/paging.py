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

Pages go both ways, as Relay's `first`/`after` and `last`/`before`: `Keyset.window` turns those arguments
into a position and a size. A forward position is the row a page starts after; a backward one (`Before`) is
the row a page ends before (empty: the end of the listing), and the listing answers the `size` rows just
before it, still in its own order. Listings take either kind of position the same way, so every one of them
pages backwards.
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


class Before(tuple[Any, ...]):
    """A backward position: the page is the rows just before this one (the listing's last rows when empty)."""


def page_size(
    first: int | None, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE, name: str = "first"
) -> int:
    size = default if first is None else first
    if size < 0 or size > maximum:
        raise PaginationError(f"`{name}` must be between 0 and {maximum}")
    return size


def window(
    open_cursor: Callable[[str], Position],
    *,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
    default: int = DEFAULT_PAGE_SIZE,
    maximum: int = MAX_PAGE_SIZE,
) -> tuple[Position | None, int]:
    """Relay's paging arguments as a position and a size: `first` rows after `after`, or, when `last` or
    `before` is given, `last` rows before `before` (`first` is then ignored: it has a default)."""
    if last is None and before is None:
        return (None if after is None else open_cursor(after)), page_size(first, default, maximum)
    if after is not None:
        raise PaginationError("page forwards (`first`, `after`) or backwards (`last`, `before`), not both")
    position = Before(() if before is None else open_cursor(before))
    return position, page_size(last, default, maximum, name="last")


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
    has_previous_page: bool = False

    @classmethod
    def of(cls, fetched: list[T], first: int, total_count: int) -> Page[T]:
        """From `first + 1` fetched rows: the one beyond the page only tells that another page follows."""
        return cls(items=fetched[:first], total_count=total_count, has_next_page=len(fetched) > first)

    @classmethod
    def fetched(cls, rows: list[T], size: int, total_count: int, position: Position | None) -> Page[T]:
        """From `size + 1` rows fetched away from the position (towards the start for a backward one, nearest
        first): the page in the listing's order, and whether rows lie beyond it either way."""
        beyond = len(rows) > size
        if isinstance(position, Before):
            return cls(
                items=list(reversed(rows[:size])),
                total_count=total_count,
                has_next_page=bool(position),
                has_previous_page=beyond,
            )
        return cls(
            items=rows[:size],
            total_count=total_count,
            has_next_page=beyond,
            has_previous_page=position is not None,
        )

    @classmethod
    def following(
        cls, rows: Sequence[T], key: Callable[[T], Any], after: Position | None, first: int
    ) -> Page[T]:
        """A page of rows held in memory, sorted ascending by a unique `key`: those after the position, or
        before a backward one."""
        if isinstance(after, Before):
            earlier = [row for row in rows if not after or key(row) < after[0]]
            return cls.fetched(list(reversed(earlier))[: first + 1], first, len(rows), after)
        remaining = [row for row in rows if after is None or key(row) > after[0]]
        return cls.fetched(remaining[: first + 1], first, len(rows), after)


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

    def window(
        self,
        *,
        first: int | None,
        after: str | None,
        last: int | None = None,
        before: str | None = None,
        default: int = DEFAULT_PAGE_SIZE,
        maximum: int = MAX_PAGE_SIZE,
    ) -> tuple[Position | None, int]:
        """Relay's paging arguments as this keyset's position and a size (see `window`)."""
        return window(
            self._opened,
            first=first,
            after=after,
            last=last,
            before=before,
            default=default,
            maximum=maximum,
        )

    def _opened(self, cursor: str) -> Position:
        return tuple(decode_cursor(self.kind, cursor, len(self.keys)))

    @property
    def sort(self) -> list[tuple[str, SortDirection]]:
        return list(self.keys)

    def _reversed(self) -> list[tuple[str, SortDirection]]:
        return [
            (
                name,
                SortDirection.DESCENDING if direction is SortDirection.ASCENDING else SortDirection.ASCENDING,
            )
            for name, direction in self.keys
        ]

    def after(self, position: Position, *, backwards: bool = False) -> dict[str, Any]:
        """MongoDB: the rows that come after the position in this order (before it, `backwards`)."""
        alternatives: list[dict[str, Any]] = []
        for index, (name, direction) in enumerate(self.keys):
            clause: dict[str, Any] = {
                earlier: value for (earlier, _), value in zip(self.keys[:index], position, strict=False)
            }
            ascending = (direction is SortDirection.ASCENDING) != backwards
            clause[name] = {"$gt" if ascending else "$lt": position[index]}
            alternatives.append(clause)
        return alternatives[0] if len(alternatives) == 1 else {"$or": alternatives}

    def narrowed(self, criteria: dict[str, Any], position: Position | None) -> dict[str, Any]:
        """The listing's criteria, and after the position (before a backward one) when there is one."""
        if not position:
            return criteria
        beyond = self.after(position, backwards=isinstance(position, Before))
        return {"$and": [criteria, beyond]} if criteria else beyond

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
        """A page of the model's documents matching the criteria, in this order, after the position (the
        `first` rows before it for a backward position), each read as `projection`, a model of some of the
        fields, when given; the total counts every page. The count and the page are read at the same time."""
        sort = self._reversed() if isinstance(after, Before) else self.sort
        rows = model.find(self.narrowed(criteria, after)).sort(sort).limit(first + 1)
        if projection is not None:
            total, projected = await asyncio.gather(
                model.find(criteria).count(), _projected(rows.project(projection), projection)
            )
            return Page.fetched(projected, first, total, after)
        total, found = await asyncio.gather(model.find(criteria).count(), rows.to_list())
        return Page.fetched(found, first, total, after)


async def _projected(query: Any, projection: type[P]) -> list[P]:
    """The query's rows, each validated as the projection straight from what MongoDB sent: what beanie's
    to_list does, without its per-row bookkeeping for documents (a projection has no state to save)."""
    cursor = await query.get_cursor()
    validate = projection.model_validate
    return [validate(row) for row in await cursor.to_list()]
