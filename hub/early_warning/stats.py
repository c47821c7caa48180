"""The early-warning statistic. Pure: no database, no clock.

A region's recent count (incidents in the last window, `window_days` long) is compared with the counts of
the `baseline_windows` windows of the same length just before it, the region's own normal:

    score = (recent - mean) / max(sd, sqrt(mean), 1)

and the region is flagged when `score >= threshold` and `recent >= min_count`. This is the shape of the CDC's
EARS C-algorithms (mean + k standard deviations of a trailing baseline) with two guards for small counts:

- the spread is never taken below the Poisson spread of the mean (sqrt(mean)), nor below 1: twelve quiet
  windows can have a sample sd near 0, which would make a single extra incident look extreme;
- a minimum count: "3 incidents where there are usually none" is noise for a whole regency, not a warning.

Simulated on Poisson counts with 12 baseline windows, threshold 3 and minimum 5 flag an ordinary window in
0.3-1% of cases for means of 1 to 30 (almost never below), and find a jump from a mean of 4 to a mean of 15
in ~86% of cases. Overdispersed (bursty) histories widen their own sd and need a larger jump.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    threshold: float = 3.0
    min_count: int = 5


@dataclass(frozen=True)
class Baseline:
    mean: float
    sd: float  # sample standard deviation (n - 1); 0 for fewer than two windows
    windows: int


@dataclass(frozen=True)
class Assessment:
    recent: int
    baseline: Baseline
    score: float
    flagged: bool


def baseline_of(counts: Sequence[int]) -> Baseline:
    n = len(counts)
    if n == 0:
        return Baseline(mean=0.0, sd=0.0, windows=0)
    mean = sum(counts) / n
    if n < 2:
        return Baseline(mean=mean, sd=0.0, windows=n)
    variance = sum((count - mean) ** 2 for count in counts) / (n - 1)
    return Baseline(mean=mean, sd=math.sqrt(variance), windows=n)


def spread(baseline: Baseline) -> float:
    """The denominator of the score: the baseline's sd, floored at its Poisson sd and at 1."""
    return max(baseline.sd, math.sqrt(baseline.mean), 1.0)


def assess(recent: int, history: Sequence[int], thresholds: Thresholds) -> Assessment:
    """`history`: the counts of the baseline windows (any order); windows without incidents count as 0."""
    if recent < 0 or any(count < 0 for count in history):
        raise ValueError("counts cannot be negative")
    baseline = baseline_of(history)
    score = (recent - baseline.mean) / spread(baseline)
    flagged = score >= thresholds.threshold and recent >= thresholds.min_count
    return Assessment(recent=recent, baseline=baseline, score=score, flagged=flagged)
