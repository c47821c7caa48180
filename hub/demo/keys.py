"""Deterministic randomness and ids: each record draws from a generator seeded with the run's seed and the
record's natural key, so a record is the same whatever else is generated (another scale, a province filter,
a later run with more quarters)."""

from __future__ import annotations

import hashlib
import random
import struct
from datetime import datetime

from bson import ObjectId


class Keys:
    def __init__(self, seed: int) -> None:
        self.seed = seed

    def _digest(self, parts: tuple[object, ...]) -> bytes:
        text = "|".join(str(part) for part in (self.seed, *parts))
        return hashlib.sha256(text.encode()).digest()

    def rng(self, *parts: object) -> random.Random:
        """A generator of its own for the record named by `parts`."""
        return random.Random(self._digest(parts))  # noqa: S311  (demo data, not security)

    def object_id(self, at: datetime, *parts: object) -> ObjectId:
        """The record's id: its creation time (as ObjectIds carry one), then 8 bytes from its key."""
        return ObjectId(struct.pack(">I", int(at.timestamp())) + self._digest(parts)[:8])
