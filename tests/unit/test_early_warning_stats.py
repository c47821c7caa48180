"""hub.early_warning.stats: the score's floors when the baseline has no spread, and the flag's boundaries.

(The mean and sample sd, and the floors on typical histories, are also tested in tests/test_early_warning.py.)
"""

from __future__ import annotations

import math

import pytest

from hub.early_warning.stats import Baseline, Thresholds, assess, baseline_of, spread


def test_a_constant_history_has_zero_variance_and_the_poisson_floor_takes_over() -> None:
    steady = baseline_of([16] * 12)
    assert steady == Baseline(mean=16.0, sd=0.0, windows=12)
    assert spread(steady) == 4.0  # sqrt(16)
    assert assess(28, [16] * 12, Thresholds()).score == pytest.approx(3.0)


def test_below_a_mean_of_one_the_spread_is_floored_at_one() -> None:
    assert spread(baseline_of([0] * 12)) == 1.0
    assert spread(baseline_of([1] + [0] * 11)) == 1.0  # sd ~0.29, sqrt(mean) ~0.29
    assert spread(baseline_of([1])) == 1.0


def test_a_wide_history_is_measured_by_its_own_sd() -> None:
    wide = baseline_of([0, 20])
    assert wide.sd == pytest.approx(math.sqrt(200))
    assert spread(wide) == pytest.approx(math.sqrt(200))


def test_without_history_the_score_is_the_count_itself() -> None:
    assessment = assess(5, [], Thresholds())
    assert assessment.baseline == Baseline(mean=0.0, sd=0.0, windows=0)
    assert assessment.score == 5.0
    assert assessment.flagged


def test_a_single_window_has_no_sd() -> None:
    assessment = assess(10, [4], Thresholds())
    assert assessment.baseline == Baseline(mean=4.0, sd=0.0, windows=1)
    assert assessment.score == pytest.approx(3.0)  # (10 - 4) / sqrt(4)
    assert assessment.flagged


def test_the_score_threshold_and_the_minimum_count_are_both_inclusive() -> None:
    quiet = [0] * 12
    assert assess(3, quiet, Thresholds(threshold=3, min_count=3)).flagged
    assert not assess(3, quiet, Thresholds(threshold=3.01, min_count=3)).flagged
    assert not assess(3, quiet, Thresholds(threshold=3, min_count=4)).flagged


def test_fewer_incidents_than_usual_score_below_zero() -> None:
    assessment = assess(0, [9] * 12, Thresholds(threshold=-10, min_count=0))
    assert assessment.score == pytest.approx(-3.0)
    assert not assess(0, [9] * 12, Thresholds()).flagged
    # Only the thresholds decide: with these, even a drop is flagged.
    assert assessment.flagged


def test_the_order_of_the_history_does_not_matter() -> None:
    history = [3, 9, 0, 4, 7, 1]
    assert assess(12, history, Thresholds()) == assess(12, sorted(history), Thresholds())


def test_a_negative_count_in_the_history_is_refused() -> None:
    with pytest.raises(ValueError, match="counts cannot be negative"):
        assess(3, [1, -1, 2], Thresholds())
