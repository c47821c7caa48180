"""The arithmetic of docs/capacity.md: the sizes `make load` measured of its data set (`data_set` in
`.local/load/result.json`), scaled to every region over ten years (`python -m infra.load.capacity [file]`).

The demo's national plan gives every region the same density (records per region per quarter), so a subset
of provinces scales to the country by the ratio of regions; the data set already spans ten years.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REGIONS = 552  # 38 provinces + 514 regencies and cities
ROOT = Path(__file__).resolve().parents[2]


def regions_seeded(result: dict[str, Any]) -> int:
    """Regions with data: every region but the national root when all were seeded; else those counted by the
    seeding (the users: an operator and a coordinator per region, plus the central reviewer and leader)."""
    users = int(result["data_set"]["records"].get("users", 0))
    return max(1, (users - 2) // 2)


def table(result: dict[str, Any]) -> list[tuple[str, int, float, float]]:
    """(what, records, MB seeded, MB for every region over ten years) per collection, index and the bucket."""
    data = result["data_set"]
    factor = REGIONS / regions_seeded(result)
    rows = [
        (f"MongoDB {name}", int(data["records"].get(name, 0)), size / 1e6, size * factor / 1e6)
        for name, size in sorted(data["bson_bytes"].items(), key=lambda item: -item[1])
    ]
    for index in data["indices"]:
        size = int(index["store.size"] or 0)
        if int(index["docs.count"] or 0):
            name = "Elasticsearch " + index["index"].rsplit("-v", 1)[0].split("-")[-1]
            rows.append((name, int(index["docs.count"]), size / 1e6, size * factor / 1e6))
    # The national plan stores a pool of distinct files once and points every region's documents at them; in
    # use each document has a file of its own: the national documents at the pool's mean file size.
    bucket, objects = int(data["bucket_bytes"]), max(1, int(data["bucket_objects"]))
    documents = int(data["records"].get("documents", 0))
    national = documents * factor * bucket / objects
    rows.append(("object store (a file per document)", objects, bucket / 1e6, national / 1e6))
    return rows


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else ROOT / ".local" / "load" / "result.json"
    result = json.loads(path.read_text())
    seeded = regions_seeded(result)
    print(f"{seeded} regions seeded; x {REGIONS / seeded:.2f} for all {REGIONS}")
    print("| what | records seeded | MB seeded | MB national, 10 years |")
    print("|---|---:|---:|---:|")
    for what, records, mb, national in table(result):
        print(f"| {what} | {records:,} | {mb:,.1f} | {national:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
