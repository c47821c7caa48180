"""Opaque cursors and page-size limits shared by every connection."""

from __future__ import annotations

import base64
import binascii

MAX_PAGE_SIZE = 100


class PaginationError(ValueError):
    pass


def encode_cursor(kind: str, value: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode()


def decode_cursor(kind: str, cursor: str) -> str:
    try:
        decoded = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise PaginationError(f"the cursor {cursor!r} is not valid here") from None
    prefix, _, value = decoded.partition(":")
    if prefix != kind or not value:
        raise PaginationError(f"the cursor {cursor!r} is not valid here")
    return value


def page_size(first: int | None, default: int = 20) -> int:
    size = default if first is None else first
    if size < 0 or size > MAX_PAGE_SIZE:
        raise PaginationError(f"`first` must be between 0 and {MAX_PAGE_SIZE}")
    return size
