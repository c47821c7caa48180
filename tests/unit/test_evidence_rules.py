"""What valid evidence is, checked without services: the linear-time pattern subset and the verdicts."""

from __future__ import annotations

import pytest

from hub.documents.models import DocumentCategory
from hub.evidence.rules import (
    MAX_PATTERN,
    WINDOW,
    Outcome,
    RuleError,
    _possessive,
    _windows,
    check_pattern,
    find_number,
    judge,
    make_rule,
)

NPHD = DocumentCategory.NPHD


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",  # nested repetition: catastrophic backtracking
        r"(a|aa)*b",  # repeated alternation
        r"(?:ab)*",  # a repeated group
        r"(\d)\1",  # a backreference
        r"(?=\d)\d",  # lookahead
        r"(?<=No)\d",  # lookbehind
        "[",  # does not compile
        "x" * (MAX_PATTERN + 1),  # too long
    ],
)
def test_patterns_outside_the_linear_subset_are_refused(pattern: str) -> None:
    with pytest.raises(RuleError):
        check_pattern(pattern)


def test_repetitions_are_made_possessive() -> None:
    assert _possessive(r"No\.?\s*\d+/[\w.]+/\d{4}") == r"No\.?+\s*+\d++/[\w.]++/\d{4}+"
    assert _possessive(r"[+*?]x+?") == r"[+*?]x++"


def test_the_search_reads_bounded_windows_whatever_the_text() -> None:
    """The work bound: every window is at most WINDOW characters, and there are at most about
    4/3 * len / WINDOW + lines of them, so a search does at most len(text) * WINDOW * 4/3 steps."""
    line = "1" * 100_000
    windows = _windows(line + "\n" + line)
    assert max(len(piece) for _, piece in windows) == WINDOW
    assert len(windows) <= 2 * (len(line) // (WINDOW * 3 // 4) + 1)
    # A pattern that backtracks badly in a plain engine finds nothing here, window by window.
    assert find_number(check_pattern(r"\d*\d*\d*x") or "", line) is None


def test_a_number_across_a_window_edge_is_found() -> None:
    text = "a" * (WINDOW - 5) + "900/123/2026" + "b" * 50
    found = find_number(r"\d+/\d+/\d{4}", text)
    assert found is not None and text[found[0] : found[1]] == "900/123/2026"


def test_verdicts() -> None:
    rule = make_rule(NPHD, ["Perjanjian  Hibah"], r"\d+/\d+/\d{4}")
    text = "NASKAH PERJANJIAN\nHIBAH DAERAH\nNomor 900/123/2026"
    passed = judge(rule, category=NPHD, text=text, text_read=True)
    assert (passed.outcome, passed.reason) == (Outcome.PASSED, "found '900/123/2026'")
    assert passed.passage is not None and "900/123/2026" in passed.passage
    assert judge(rule, category=NPHD, text=None, text_read=False).outcome is Outcome.PENDING
    assert (
        judge(rule, category=NPHD, text="", text_read=True).reason
        == "no text could be read from the document"
    )
    wrong = judge(rule, category=DocumentCategory.PHOTO, text=text, text_read=True)
    assert (wrong.outcome, wrong.reason) == (Outcome.FAILED, "a nphd document is expected; this one is photo")
    number = judge(rule, category=NPHD, text="perjanjian hibah tanpa nomor", text_read=True)
    assert number.outcome is Outcome.FAILED and "no number matching" in number.reason
