"""Indonesian text from the shipped vocabulary and sentence templates (data/vocabulary.json)."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    text = resources.files("hub.demo").joinpath("data", "vocabulary.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def fill(template: str, rng: random.Random, context: Mapping[str, object]) -> str:
    """The template with each {name} taken from `context`, else a random word of the list `name`."""
    lists: dict[str, list[str]] = vocabulary()["lists"]

    def replace(match: re.Match[str]) -> str:
        name = match[1]
        if name in context:
            return str(context[name])
        if name in lists:
            return rng.choice(lists[name])
        raise KeyError(f"the demo template {template!r} names {name!r}, which is neither given nor a list")

    return _PLACEHOLDER.sub(replace, template)


def paragraph(
    templates: Sequence[str], rng: random.Random, context: Mapping[str, object], sentences: int
) -> str:
    """`sentences` of the templates (the first always, the rest a random pick in their order), filled."""
    count = max(1, min(sentences, len(templates)))
    chosen = [0, *sorted(rng.sample(range(1, len(templates)), count - 1))]
    return " ".join(fill(templates[index], rng, context) for index in chosen)


def pick(rng: random.Random, name: str) -> str:
    choice: str = rng.choice(vocabulary()["lists"][name])
    return choice
