"""The order in which to measure a document's fragments: each after the fragments it spreads, iteratively, so
that a long chain of fragments spreading one another does not recurse."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping


def leaves_first(spreads: Mapping[str, Iterable[str]]) -> list[str]:
    """Fragment names, each after every fragment it spreads. Fragments on a cycle, or spreading one, are left
    out (the standard rule NoFragmentCyclesRule refuses such a document); unknown names are ignored."""
    waiting = {name: {spread for spread in needs if spread in spreads} for name, needs in spreads.items()}
    dependents: dict[str, set[str]] = defaultdict(set)
    for name, needs in waiting.items():
        for need in needs:
            dependents[need].add(name)
    ready = [name for name, needs in waiting.items() if not needs]
    ordered: list[str] = []
    while ready:
        name = ready.pop()
        ordered.append(name)
        for dependent in dependents[name]:
            waiting[dependent].discard(name)
            if not waiting[dependent]:
                ready.append(dependent)
    return ordered
