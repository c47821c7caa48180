"""What valid evidence is, and the check of a document's text against it. Pure: no database.

A rule names the document category wanted and, optionally, what its text must show: phrases (each must
appear, compared without case and with runs of whitespace as one space, so OCR line breaks do not matter) and
a number pattern (a decree's or an agreement's number, such as `\\d+/\\d+/\\d{4}`).

Patterns come from templates and admins, and run over megabytes of OCR text, so they are kept to a
LINEAR-TIME SUBSET of regular expressions, checked when the rule is made (`check_pattern`):
- at most MAX_PATTERN characters, and it must compile;
- only single characters, classes (`[0-9./-]`, `\\d`, `\\w`, `\\s`, `.`) and anchors (`^`, `$`, `\\b`), each
  optionally repeated (`?`, `*`, `+`, `{m,n}`); no groups, no alternation, no backreferences, no lookaround;
- every repetition is made possessive (it never gives characters back: `\\d+0` cannot match).
With nothing to go back to, a match attempt from one position is a single pass over the pattern; the search
runs line by line over windows of at most WINDOW characters, so the work is bounded by
len(text) * WINDOW steps whatever the pattern. (A timeout was not used: interrupting Python's regular
expressions needs a signal, which only reaches a process's main thread, or a process per check.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

from pydantic import BaseModel, Field

from hub.documents.models import DocumentCategory

MAX_PATTERN = 100
MAX_PHRASES = 10
MAX_PHRASE = 200
WINDOW = 160  # characters of a line searched at once; longer lines are searched in overlapping windows
PASSAGE = 80  # characters of context on each side of a match, in the recorded passage

_SINGLE = {sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.IN, sre_constants.ANY}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}


class RuleError(ValueError):
    """A rule that may not be used; the message says why, `field` which part."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class EvidenceRule(BaseModel):
    """What valid evidence for one requirement or indicator is."""

    category: DocumentCategory | None = None
    phrases: list[str] = Field(default_factory=list)
    number_pattern: str | None = None

    @property
    def expects_text(self) -> bool:
        return bool(self.phrases or self.number_pattern)


def _possessive(pattern: str) -> str:
    """The pattern with every repetition possessive; it has been checked to hold only single items."""
    out: list[str] = []
    index = 0
    # Rewriting the source is simpler than unparsing: after each quantifier that is not already possessive
    # or lazy, add `+`. Quantifiers are `?`, `*`, `+` and `{m,n}` outside classes and escapes.
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]" or out[-1] in ("[", "[^")
            out.append(char)
            index += 1
            continue
        if char == "[":
            in_class = True
            out.append(char)
            index += 1
            continue
        if char in "?*+" or (char == "{" and re.match(r"\{\d*(,\d*)?\}", pattern[index:])):
            end = index + 1 if char != "{" else index + pattern[index:].index("}") + 1
            out.append(pattern[index:end])
            index = end
            if index < len(pattern) and pattern[index] in "+?":
                out.append(pattern[index])  # already possessive or lazy: a lazy one becomes possessive below
                index += 1
                if out[-1] == "?":
                    out[-1] = "+"
            else:
                out.append("+")
            continue
        out.append(char)
        index += 1
    return "".join(out)


def check_pattern(pattern: str | None, field: str = "numberPattern") -> str | None:
    """The pattern if it is in the linear-time subset (see the module's docstring); RuleError otherwise."""
    if pattern is None or not pattern.strip():
        return None
    if len(pattern) > MAX_PATTERN:
        raise RuleError(f"a pattern has at most {MAX_PATTERN} characters", field)
    try:
        parsed = sre_parse.parse(pattern)
        re.compile(pattern)
    except re.error as error:
        raise RuleError(f"the pattern does not compile: {error}", field) from None
    for op, argument in parsed:
        if op in _REPEATS:
            body = argument[2]
            if len(body) != 1 or body[0][0] not in _SINGLE:
                raise RuleError(
                    "only single characters or classes may be repeated (no groups): e.g. \\d+/\\d{4}", field
                )
        elif op is sre_constants.AT or op in _SINGLE:
            continue
        else:
            raise RuleError(
                "only characters, classes, anchors and their repetitions are allowed: no groups, "
                "alternation, backreferences or lookaround",
                field,
            )
    return pattern


def check_phrases(phrases: list[str] | None, field: str = "phrases") -> list[str]:
    cleaned = [" ".join(phrase.split()) for phrase in phrases or []]
    cleaned = [phrase for phrase in dict.fromkeys(cleaned) if phrase]
    if len(cleaned) > MAX_PHRASES:
        raise RuleError(f"at most {MAX_PHRASES} phrases", field)
    if any(len(phrase) > MAX_PHRASE for phrase in cleaned):
        raise RuleError(f"a phrase has at most {MAX_PHRASE} characters", field)
    return cleaned


def make_rule(
    category: DocumentCategory | None, phrases: list[str] | None, number_pattern: str | None
) -> EvidenceRule:
    return EvidenceRule(
        category=category, phrases=check_phrases(phrases), number_pattern=check_pattern(number_pattern)
    )


class Outcome(StrEnum):
    PENDING = "pending"  # the document's text is not read yet
    PASSED = "passed"
    FAILED = "failed"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reason: str
    passage: str | None = None


def _passage(text: str, start: int, end: int) -> str:
    return " ".join(text[max(start - PASSAGE, 0) : end + PASSAGE].split())


def _windows(text: str) -> list[tuple[int, str]]:
    """(offset, piece) of every line, long lines cut into windows overlapping by a quarter."""
    found: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        step = WINDOW * 3 // 4
        for start in range(0, max(len(line) - WINDOW // 4, 1), step):
            found.append((offset + start, line[start : start + WINDOW]))
        offset += len(line) + 1
    return found


def find_number(pattern: str, text: str) -> tuple[int, int] | None:
    """Where the (checked) pattern first matches in the text, searched window by window."""
    compiled = re.compile(_possessive(pattern))
    for offset, window in _windows(text):
        match = compiled.search(window)
        if match is not None:
            return offset + match.start(), offset + match.end()
    return None


def judge(rule: EvidenceRule, *, category: DocumentCategory, text: str | None, text_read: bool) -> Verdict:
    """The check of one document against a rule: its category, then what its text must show."""
    if rule.category is not None and category is not rule.category:
        return Verdict(
            Outcome.FAILED, f"a {rule.category.value} document is expected; this one is {category.value}"
        )
    if not rule.expects_text:
        return Verdict(Outcome.PASSED, "the category is the one expected")
    if not text_read:
        return Verdict(Outcome.PENDING, "waiting for the document's text to be read")
    if not text or not text.strip():
        return Verdict(Outcome.FAILED, "no text could be read from the document")
    flat = " ".join(text.split())
    folded = flat.casefold()
    passage: str | None = None
    for phrase in rule.phrases:
        at = folded.find(phrase.casefold())
        if at < 0:
            return Verdict(Outcome.FAILED, f"the phrase {phrase!r} is not in the document's text")
        passage = passage or _passage(flat, at, at + len(phrase))
    if rule.number_pattern:
        found = find_number(rule.number_pattern, text)
        if found is None:
            return Verdict(
                Outcome.FAILED, f"no number matching {rule.number_pattern!r} is in the document's text"
            )
        start, end = found
        passage = _passage(text, start, end)
        return Verdict(Outcome.PASSED, f"found {text[start:end]!r}", passage)
    return Verdict(Outcome.PASSED, "every expected phrase is in the text", passage)
