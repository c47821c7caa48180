"""The load's figures from vegeta's results and the process samples. Pure.

`Tally` folds vegeta's results (`vegeta encode --to json`, one JSON object a line) one at a time, keeping
latencies by operation (the `op` query parameter of the target's URL) and errors by kind: transport errors
and timeouts (vegeta's `error`, code 0), HTTP statuses other than 200, GraphQL errors in a 200 (a top-level
`errors`), and typed errors in a mutation's payload (`data.<mutation>.errors`). `rss_growth` fits a line to a
process's resident memory after warm-up, and judges it only over minutes.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

LIMITS = {"p99_ms": 250.0, "errors": 0, "rss_growth_pct": 5.0}
SAMPLE_ERRORS = 5


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (the smallest value with at least `pct` % of the values at or below it)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def operation(url: str) -> str:
    found = parse_qs(urlsplit(url).query).get("op")
    return found[0] if found else "unknown"


def error_kind(result: Mapping[str, Any]) -> str | None:
    """None for a success; else what went wrong, coarse enough to count (`graphql RATE_LIMITED`)."""
    if result.get("error") or not result.get("code"):
        return f"transport: {str(result.get('error') or 'no answer')[:80]}"
    if result["code"] != 200:
        return f"http {result['code']}"
    raw = result.get("body") or ""
    try:
        body = json.loads(base64.b64decode(raw)) if raw else None
    except (ValueError, UnicodeDecodeError):
        return "unparsable body"
    if not isinstance(body, dict):
        return "unparsable body"
    errors = body.get("errors")
    if errors:
        codes = sorted({str((e.get("extensions") or {}).get("code", "UNKNOWN")) for e in errors})
        return f"graphql {','.join(codes)}"
    data = body.get("data")
    if not isinstance(data, dict):
        return "graphql no data"
    for value in data.values():
        if isinstance(value, dict) and value.get("errors"):
            codes = sorted({str(e.get("code", "UNKNOWN")) for e in value["errors"]})
            return f"payload {','.join(codes)}"
    return None


@dataclass
class Tally:
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    first_ns: int | None = None
    last_ns: int | None = None

    def add(self, result: Mapping[str, Any]) -> None:
        name = operation(str(result.get("url", "")))
        self.latencies_ms[name].append(int(result.get("latency", 0)) / 1e6)
        kind = error_kind(result)
        if kind is not None:
            self.errors[name][kind] += 1
        at = _epoch_ns(result.get("timestamp"))
        if at is not None:
            self.first_ns = at if self.first_ns is None else min(self.first_ns, at)
            self.last_ns = at if self.last_ns is None else max(self.last_ns, at)

    def add_line(self, line: bytes | str) -> None:
        if line.strip():
            self.add(json.loads(line))

    def summary(self, duration_s: float) -> dict[str, Any]:
        every = [ms for values in self.latencies_ms.values() for ms in values]
        operations = {
            name: {
                "requests": len(values),
                "p50_ms": round(percentile(values, 50), 1),
                "p95_ms": round(percentile(values, 95), 1),
                "p99_ms": round(percentile(values, 99), 1),
                "errors": sum(self.errors[name].values()),
                "error_kinds": dict(self.errors[name].most_common(SAMPLE_ERRORS)),
            }
            for name, values in sorted(self.latencies_ms.items())
        }
        kinds: Counter[str] = Counter()
        for counted in self.errors.values():
            kinds.update(counted)
        return {
            "requests": len(every),
            "throughput_rps": round(len(every) / duration_s, 1) if duration_s > 0 else 0.0,
            "p50_ms": round(percentile(every, 50), 1),
            "p95_ms": round(percentile(every, 95), 1),
            "p99_ms": round(percentile(every, 99), 1),
            "errors": sum(kinds.values()),
            "http_errors": sum(n for kind, n in kinds.items() if kind.startswith(("http", "transport"))),
            "graphql_errors": sum(n for kind, n in kinds.items() if kind.startswith(("graphql", "payload"))),
            "error_kinds": dict(kinds.most_common(SAMPLE_ERRORS * 2)),
            "operations": operations,
        }


_STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$")


def _epoch_ns(stamp: object) -> int | None:
    """vegeta's RFC 3339 timestamp (nanoseconds) as integer nanoseconds; None when absent or malformed."""
    found = _STAMP.match(stamp) if isinstance(stamp, str) else None
    if found is None:
        return None
    zone = (found[3] or "Z").replace("Z", "+00:00")
    seconds = int(datetime.fromisoformat(found[1] + zone).timestamp())
    return seconds * 1_000_000_000 + int(((found[2] or "") + "000000000")[:9])


def slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of y over x (0 for fewer than two distinct x)."""
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


# A fitted slope says something about a leak only over minutes: a process's resident memory grows in steps
# (a cache filling, an allocator arena opened, a pool's connection) for the first minutes of a load, and a
# 70-90 s window after a 60 s warm-up measures those steps, not a slope. Shorter spans are not judged.
MIN_JUDGED_SPAN_S = 240.0


def rss_growth(
    samples: Sequence[tuple[float, float]], warmup_s: float, window_s: float | None = None
) -> dict[str, Any]:
    """Resident memory after `warmup_s` (from the first sample), or over the last `window_s` of that: the
    fitted slope in MiB per minute, the growth over the span as a percentage of the fitted start (the line,
    not two noisy end points), the same slope as growth per 10 minutes (comparable across spans), and
    whether the span is long enough to judge a slope at all (MIN_JUDGED_SPAN_S)."""
    if not samples:
        return {
            "rss_mib": 0.0,
            "slope_mib_per_min": 0.0,
            "growth_pct": 0.0,
            "growth_pct_per_10_min": 0.0,
            "span_s": 0.0,
            "judged": False,
        }
    start = samples[0][0] + warmup_s
    if window_s is not None:
        start = max(start, samples[-1][0] - window_s)
    kept = [(t, rss) for t, rss in samples if t >= start] or list(samples[-1:])
    rate = slope(kept)  # bytes per second
    span = kept[-1][0] - kept[0][0]
    mean_t = sum(t for t, _ in kept) / len(kept)
    mean_rss = sum(rss for _, rss in kept) / len(kept)
    fitted_start = mean_rss + rate * (kept[0][0] - mean_t)
    growth = rate * span / fitted_start * 100 if fitted_start > 0 else 0.0
    per_10_min = rate * 600 / fitted_start * 100 if fitted_start > 0 else 0.0
    return {
        "rss_mib": round(kept[-1][1] / 2**20, 1),
        "slope_mib_per_min": round(rate * 60 / 2**20, 2),
        "growth_pct": round(growth, 2),
        "growth_pct_per_10_min": round(per_10_min, 2),
        "span_s": round(span, 1),
        "judged": span >= MIN_JUDGED_SPAN_S,
    }


def held(result: Mapping[str, Any], rate: float) -> bool:
    """Whether a run held its rate: throughput within 5 % of it, p99, errors and memory within LIMITS. A
    run too short to judge memory (`memory_judged` false) does not hold: its latencies may
    (`latency_held`), but that is not flat memory."""
    return bool(
        latency_held(result, rate)
        and result.get("memory_judged", True)
        and result["rss_growth_pct"] <= LIMITS["rss_growth_pct"]
    )


def latency_held(result: Mapping[str, Any], rate: float) -> bool:
    """Throughput within 5 % of the rate, p99 and errors within LIMITS (memory aside)."""
    return bool(
        result["throughput_rps"] >= 0.95 * rate
        and result["p99_ms"] <= LIMITS["p99_ms"]
        and result["errors"] <= LIMITS["errors"]
    )
