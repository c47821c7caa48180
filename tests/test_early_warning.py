"""Early warning: the statistic on known numbers; a spike planted in one region of a generated noisy history
is the one region found, on the dashboard too; the periodic task run twice raises one event, and concurrent
checks raise one as well.

The generated histories live in their own years (2041, 2042) and provinces (Kalimantan: 61, 62, 63), far from
the other tests' records; their reports are not marked for search indexing.
"""

from __future__ import annotations

import asyncio
import math
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from hub.clients import Clients
from hub.early_warning.models import EarlyWarning
from hub.early_warning.raising import ACTOR, raise_warnings, window_key
from hub.early_warning.service import Params, assess_regions, flagged_regions
from hub.early_warning.stats import Baseline, Thresholds, assess, baseline_of
from hub.events.models import Event, EventKind
from hub.regions.models import Region, RegionLevel
from hub.regions.services import region_tree
from hub.reports.models import IncidentCategory, IncidentDetails, Report, ReportStatus, ReportType, RiskLevel
from hub.settings import Settings
from tests.conftest import Account
from tests.graphql import gql_as
from workers.celery_app import create_celery

PARAMS = Params(window_days=7, baseline_windows=12, thresholds=Thresholds(threshold=3.0, min_count=5))
WEEK = timedelta(days=7)
ERA = datetime(2041, 6, 1, tzinfo=UTC)
CONCURRENT_ERA = datetime(2042, 6, 1, tzinfo=UTC)
SPIKE = "62.03"
CONCURRENT_SPIKE = "63.04"


# --- the statistic --------------------------------------------------------------------------------------


def test_baseline_is_the_mean_and_sample_sd_of_the_windows() -> None:
    baseline = baseline_of([2, 4, 4, 4, 5, 5, 7, 9])
    assert baseline.mean == 5
    assert baseline.sd == pytest.approx(math.sqrt(32 / 7))
    assert baseline.windows == 8
    assert baseline_of([]) == Baseline(mean=0.0, sd=0.0, windows=0)
    assert baseline_of([3]).sd == 0


def test_score_uses_the_sd_floored_at_the_poisson_spread_and_one() -> None:
    bursty = assess(20, [0, 10, 0, 10, 0, 10, 0, 10], Thresholds())
    assert bursty.score == pytest.approx((20 - 5) / math.sqrt(200 / 7))  # its own sd is the largest
    steady = assess(16, [9] * 12, Thresholds())  # sd 0: floored at sqrt(9) = 3
    assert (steady.score, steady.flagged) == (pytest.approx(7 / 3), False)
    quiet = assess(5, [0] * 12, Thresholds())  # sd 0, mean 0: floored at 1
    assert (quiet.score, quiet.flagged) == (5.0, True)


def test_a_minimum_count_keeps_small_numbers_quiet() -> None:
    assert not assess(4, [0] * 12, Thresholds(threshold=3, min_count=5)).flagged
    assert assess(4, [0] * 12, Thresholds(threshold=3, min_count=4)).flagged
    assert not assess(12, [4, 5, 3, 6, 4, 5, 4, 3, 5, 4, 6, 5], Thresholds(threshold=4, min_count=5)).flagged
    assert assess(15, [4, 5, 3, 6, 4, 5, 4, 3, 5, 4, 6, 5], Thresholds(threshold=4, min_count=5)).flagged


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        assess(-1, [0], Thresholds())


# --- generated histories --------------------------------------------------------------------------------


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _incident(region: Region, at: datetime, rng: random.Random) -> Report:
    return Report(
        region_code=region.id,
        region_path=region.subtree_codes,
        type=ReportType.INCIDENT,
        template_version=1,
        period_key=f"incident:{uuid.uuid4().hex}",
        title=f"Kejadian {region.name}",
        risk_level=RiskLevel.MEDIUM,
        incident=IncidentDetails(
            category=rng.choice(list(IncidentCategory)), severity=RiskLevel.MEDIUM, occurred_at=at
        ),
        status=ReportStatus.SUBMITTED,
        author="user:seed",
        due_at=at + timedelta(days=1),
        needs_index=False,
    )


async def _history(now: datetime, provinces: tuple[str, ...], spike: str, seed: int) -> dict[str, list[int]]:
    """Noisy weekly counts (Poisson, a mean per region between 0.5 and 6) over 12 baseline weeks and the
    recent week for every regency and city of the provinces; the spike region's recent week is its mean
    tripled plus 10. Returns the counts per region, index 0 the recent week."""
    rng = random.Random(seed)
    regions = [
        region
        for region in await region_tree()
        if region.parent_code in provinces and region.level in (RegionLevel.REGENCY, RegionLevel.CITY)
    ]
    reports: list[Report] = []
    counts: dict[str, list[int]] = {}
    for region in regions:
        mean = rng.uniform(0.5, 6.0)
        weekly = [_poisson(rng, mean) for _ in range(PARAMS.baseline_windows + 1)]
        if region.id == spike:
            weekly[0] = round(3 * mean) + 10
        counts[region.id] = weekly
        for window, count in enumerate(weekly):
            for _ in range(count):
                offset = timedelta(hours=rng.uniform(1, 7 * 24 - 1))
                reports.append(_incident(region, now - window * WEEK - offset, rng))
    await Report.insert_many(reports)
    return counts


@pytest.fixture(scope="module")
async def history(seeded: Clients) -> dict[str, list[int]]:
    return await _history(ERA, ("61", "62", "63"), SPIKE, seed=8)


async def test_the_planted_spike_is_the_one_region_found(history: dict[str, list[int]]) -> None:
    assert len(history) >= 40
    assessed = await assess_regions(ERA, PARAMS)
    by_code = {signal.region.id: signal for signal in assessed}
    assert set(by_code) == {code for code, weekly in history.items() if any(weekly)}
    for code, weekly in history.items():
        if code in by_code:
            assert by_code[code].assessment.recent == weekly[0]
            assert by_code[code].assessment.baseline == baseline_of(weekly[1:])
    assert [signal.region.id for signal in await flagged_regions(ERA, PARAMS)] == [SPIKE]
    # Under a root and a scope, only what they cover is assessed.
    assert await flagged_regions(ERA, PARAMS, root="61") == []
    assert [signal.region.id for signal in await flagged_regions(ERA, PARAMS, root="62")] == [SPIKE]


async def test_the_dashboard_shows_the_warning(
    history: dict[str, list[int]],
    client_for: Callable[[str | None], httpx.AsyncClient],
    accounts: dict[str, Account],
) -> None:
    query = """query($to: DateTime!) { dashboard(region: "62", to: $to) {
      earlyWarnings { region { code } recentCount baselineMean baselineSd baselineWindows score
        windowStart windowEnd } } }"""
    data = await gql_as(client_for, accounts["reviewer"].token, query, {"to": ERA.isoformat()})
    (warning,) = data["dashboard"]["earlyWarnings"]
    expected = assess(history[SPIKE][0], history[SPIKE][1:], PARAMS.thresholds)
    assert warning["region"] == {"code": SPIKE}
    assert warning["recentCount"] == history[SPIKE][0]
    assert warning["baselineMean"] == pytest.approx(expected.baseline.mean)
    assert warning["baselineSd"] == pytest.approx(expected.baseline.sd)
    assert (warning["baselineWindows"], warning["score"]) == (12, pytest.approx(expected.score))
    assert datetime.fromisoformat(warning["windowEnd"]) == ERA
    assert datetime.fromisoformat(warning["windowStart"]) == ERA - WEEK


def _succeeded_runs(log_path: Path) -> int:
    return sum(
        "pantau.raise_early_warnings[" in line and "succeeded" in line
        for line in log_path.read_text(errors="replace").splitlines()
    )


async def test_the_task_run_twice_raises_one_event(
    history: dict[str, list[int]], seeded: Clients, settings: Settings, worker: Path
) -> None:
    celery = create_celery(settings)
    before = await asyncio.to_thread(_succeeded_runs, worker)
    for _ in range(2):
        await asyncio.to_thread(
            celery.send_task,
            "pantau.raise_early_warnings",
            kwargs={"at": ERA.isoformat()},
            queue=settings.celery_queue,
        )
    deadline = asyncio.get_running_loop().time() + 60
    while await asyncio.to_thread(_succeeded_runs, worker) < before + 2:
        if asyncio.get_running_loop().time() > deadline:
            log_text = await asyncio.to_thread(worker.read_text)
            raise AssertionError(f"the task did not run twice; worker log:\n{log_text[-3000:]}")
        await asyncio.sleep(0.3)
    generated = list(history)
    events = await Event.find(
        {"kind": EventKind.EARLY_WARNING.value, "region_code": {"$in": generated}}
    ).to_list()
    (event,) = events
    assert (event.target_type, event.target_id, event.region_code) == ("Region", SPIKE, SPIKE)
    assert (event.region_path, event.actor) == (["ID", "62", SPIKE], ACTOR)
    assert event.data["warningKey"] == window_key(SPIKE, ERA, 7)
    assert event.data["recentCount"] == history[SPIKE][0]
    (warning,) = await EarlyWarning.find({"region_code": {"$in": generated}}).to_list()
    assert (warning.key, warning.event_id) == (event.data["warningKey"], str(event.id))

    # A day later the spike is still in the recent week: it was raised less than a window ago, so no event.
    outcome = await raise_warnings(ERA + timedelta(days=1), PARAMS)
    assert (outcome.raised, await Event.find({"region_code": SPIKE}).count()) == (0, 1)


async def test_concurrent_checks_raise_one_event(seeded: Clients) -> None:
    counts = await _history(CONCURRENT_ERA, ("63",), CONCURRENT_SPIKE, seed=11)
    assert [s.region.id for s in await flagged_regions(CONCURRENT_ERA, PARAMS)] == [CONCURRENT_SPIKE]
    outcomes = await asyncio.gather(*(raise_warnings(CONCURRENT_ERA, PARAMS) for _ in range(4)))
    assert sum(outcome.raised for outcome in outcomes) == 1
    query = {"kind": EventKind.EARLY_WARNING.value, "region_code": {"$in": list(counts)}}
    assert [event.target_id for event in await Event.find(query).to_list()] == [CONCURRENT_SPIKE]


async def test_a_claim_left_without_its_event_is_completed_once(seeded: Clients) -> None:
    (region,) = [found for found in await region_tree() if found.id == "65.01"]
    stale = EarlyWarning(
        key=f"65.01|test-{uuid.uuid4().hex}",
        region_code=region.id,
        region_path=region.subtree_codes,
        window_start=ERA - WEEK,
        window_end=ERA,
        recent_count=9,
        baseline_mean=1.0,
        baseline_sd=1.0,
        baseline_windows=12,
        score=8.0,
        raised_at=ERA,
        created_at=datetime.now(UTC) - timedelta(hours=1),
    )
    await stale.insert()
    first = await raise_warnings(datetime(2039, 1, 1, tzinfo=UTC), PARAMS)
    second = await raise_warnings(datetime(2039, 1, 1, tzinfo=UTC), PARAMS)
    assert (first.completed, second.completed) == (1, 0)
    (event,) = await Event.find({"data.warningKey": stale.key}).to_list()
    reloaded = await EarlyWarning.get(stale.id)
    assert reloaded is not None and reloaded.event_id == str(event.id)


def test_the_check_runs_on_the_beat_schedule(settings: Settings) -> None:
    app = create_celery(settings)
    entry = app.conf.beat_schedule["raise-early-warnings"]
    assert entry["task"] == "pantau.raise_early_warnings"
    assert entry["schedule"] == settings.early_warning_interval_seconds
    assert entry["options"]["queue"] == settings.celery_queue
    assert Params.of(settings) == PARAMS  # the defaults: 7-day windows, 12 of them, threshold 3, minimum 5
    import workers.tasks  # noqa: F401  (registers the tasks)

    assert "pantau.raise_early_warnings" in app.tasks
