"""A few hundred realistic search queries: the phrases of `data/queries.txt` (what staff type when they look
through archived reports), each also with a year, and some as a quoted phrase or with the search syntax's
OR and NOT (`simple_query_string`), deterministically."""

from __future__ import annotations

import random
from pathlib import Path

PHRASES = Path(__file__).with_name("data") / "queries.txt"


def phrases() -> list[str]:
    lines = PHRASES.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def queries(years: range, seed: int = 13) -> list[str]:
    rng = random.Random(seed)  # noqa: S311  (reproducible queries, not security)
    base = phrases()
    expanded = list(base)
    expanded += [f"{phrase} {rng.choice(years)}" for phrase in base]
    expanded += [f'"{phrase}"' for phrase in base if " " in phrase][:60]
    pairs = rng.sample(base, 40)
    expanded += [f"{a} | {b}" for a, b in zip(pairs[::2], pairs[1::2], strict=True)]
    expanded += [
        f"{phrase} -{rng.choice(('kampanye', 'hoaks', 'banjir'))}" for phrase in rng.sample(base, 20)
    ]
    return expanded
