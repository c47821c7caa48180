"""Plain text, the normalisation every extractor's output goes through, and a size-capped text buffer."""

from __future__ import annotations

import unicodedata

MAX_TEXT_CHARS = 5_000_000


def normalise(text: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    text = unicodedata.normalize("NFC", text).replace("\x00", "")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:max_chars]


def extract_plain_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class TextFull(Exception):
    """The text reached its cap: the extractor stops reading and keeps what it has."""


class TextSink:
    """Collects text up to a number of characters, then raises TextFull."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self._parts: list[str] = []
        self._size = 0

    def add(self, text: str) -> None:
        if self._size >= self.max_chars:
            raise TextFull
        self._parts.append(text)
        self._size += len(text)

    @property
    def full(self) -> bool:
        return self._size >= self.max_chars

    def text(self) -> str:
        return "".join(self._parts)
