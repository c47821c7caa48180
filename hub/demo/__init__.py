"""Demo data: `pantau seed demo --scale small|national`, or `generate(scale, seed)` from code (benchmarks).

Deterministic from a seed: every record's content, and its MongoDB id, follow from the seed and the record's
natural key (region, period, number), so the same seed gives the same data, and a second run inserts nothing
new (idempotent). Texts are Indonesian, made from the vocabulary and sentence templates in
`data/vocabulary.json`. Records are written in bulk with their derived fields (region paths, the
`needs_index` markers that the indexer's sweep picks up), not through the services one by one.
"""

from hub.demo.generate import GenerationResult, generate
from hub.demo.plan import Scale

__all__ = ["GenerationResult", "Scale", "generate"]
