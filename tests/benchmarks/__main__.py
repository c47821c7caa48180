"""`make bench`: every benchmark, one after the other, each in its own process, against the shared services
(PANTAU_ENV_FILE) with throwaway databases, index prefixes, buckets and queues; then the README's performance
table is filled from `.local/bench/results.json`.

uv run python -m tests.benchmarks [--only p1,p2,...] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from tests.benchmarks.harness import RESULTS, ROOT, load_average

README = ROOT / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
# name, module, arguments, arguments with --quick
BENCHMARKS = [
    ("p1", "tests.benchmarks.reports_list", ["--rounds", "300"], ["--rounds", "60"]),
    ("p2", "tests.benchmarks.search_p95", ["--rounds", "12"], ["--rounds", "3"]),
    ("p3", "tests.benchmarks.indexing", ["--count", "20000"], ["--count", "4000"]),
    ("p4", "tests.benchmarks.upload_1gib", ["--rounds", "7"], ["--rounds", "2", "--size-mib", "256"]),
    ("p5", "tests.benchmarks.completeness_matrix", ["--rounds", "120"], ["--rounds", "30"]),
    ("p7", "tests.benchmarks.ocr_page", ["--rounds", "20"], ["--rounds", "4"]),
]
# key, what, goal, format
TABLE = [
    (
        "p1_ratio",
        "P1 `reports(first: 100)`: GraphQL / careful hand-written endpoint (p50)",
        "<= 2.0x",
        "{:.2f}x",
    ),
    ("p1_gap_ms", "P1 absolute difference (p50)", "", "{:+.1f} ms"),
    ("p1_cpu_ratio", "P1 server CPU per request: GraphQL / hand-written (p50)", "", "{:.2f}x"),
    ("p1_round_trips_10", "P1 MongoDB commands per request, 10 rows", "= 100 rows", "{}"),
    ("p1_round_trips_100", "P1 MongoDB commands per request, 100 rows", "= 10 rows", "{}"),
    ("p2_p95_ms", "P2 search p95 through GraphQL over HTTP, 300k records", "<= 50 ms", "{:.1f} ms"),
    ("p2_ratio", "P2 GraphQL / same ES query + hand-written hydration (p50)", "<= 1.5x", "{:.2f}x"),
    ("p3_ratio", "P3 indexer throughput / raw bulk (ABBA x3, merges settled)", ">= 0.85", "{:.2f}"),
    ("p3_full_ratio", "P3 whole pipeline (MongoDB read, markers written) / raw bulk", "", "{:.2f}"),
    ("p4_ratio", "P4 1 GiB upload through the hub / minio-py, same parts (median of 7)", ">= 0.9", "{:.2f}"),
    ("p4_memory_mib", "P4 server peak memory growth during an upload", "<= 64 MiB", "{:.1f} MiB"),
    ("p5_p95_ms", "P5 completeness, 552 regions x 4 quarters, server time p95", "<= 100 ms", "{:.1f} ms"),
    ("p5_cpu_p95_ms", "P5 the same, server CPU time p95", "", "{:.1f} ms"),
    ("p7_ratio", "P7 OCR of a page: worker / tesseract command (PNG)", "<= 1.10x", "{:.2f}x"),
    ("p7_pdf_ratio", "P7 OCR of an image-only PDF page: worker / the commands", "<= 1.10x", "{:.2f}x"),
]


def table(results: dict[str, object]) -> str:
    rows = ["| figure | measured | goal |", "|---|---|---|"]
    for key, what, goal, form in TABLE:
        value = results.get(key)
        shown = form.format(value) if isinstance(value, int | float) else "not measured"
        rows.append(f"| {what} | {shown} | {goal} |")
    when = results.get("measured_at", "?")
    load = results.get("load_average", "?")
    rows.append("")
    rows.append(
        f"Measured {when} by `make bench` on a shared 2-core machine, load average {load} (1, 5, 15 min)."
    )
    return "\n".join(rows)


def fill_readme(results: dict[str, object]) -> None:
    text = README.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    README.write_text(text[:start] + "\n" + table(results) + "\n" + text[end:])


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated: p1,p2,p3,p4,p5,p7")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and smaller data: a smoke run")
    arguments = parser.parse_args()
    wanted = {name.strip() for name in arguments.only.split(",") if name.strip()}
    loads = [load_average()]
    failed = []
    for name, module, full, quick in BENCHMARKS:
        if wanted and name not in wanted:
            continue
        started = time.perf_counter()
        print(f"==> {name}: {module} (load average {load_average()})", flush=True)
        command = [sys.executable, "-m", module, *(quick if arguments.quick else full)]
        if subprocess.run(command, cwd=ROOT, env=os.environ.copy(), check=False).returncode != 0:
            failed.append(name)
        print(f"<== {name}: {time.perf_counter() - started:.0f} s", flush=True)
        loads.append(load_average())
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    results["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results["load_average"] = " / ".join(loads)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    fill_readme(results)
    print(table(results))
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
