"""One catalog entry: the same message in each language the hub speaks."""

from __future__ import annotations

from typing import NamedTuple


class Texts(NamedTuple):
    indonesian: str
    english: str
