"""Build `data/centroids.csv` from the village points of the npm package `geografis` (see data/SOURCE.md).

Not used at run time: a maintainer runs it when either dataset changes, with the package's `data.json`:

    python -m hub.regions.centroid_build path/to/geografis/data/json/data.json

A region's point is the village point nearest to the mean of its villages' points: an approximation of the
centre that always lies on land inside the region (the plain mean of an archipelago can fall in the sea).
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub.regions.models import RegionLevel
from hub.regions.seed import RegionRow, read_rows

CENTROID_FILE = Path(__file__).parent / "data" / "centroids.csv"
# Same code, renamed or respelt since the package's regulation (2019/2020) and idn-area-data v4 (2025).
RENAMED = {
    "12.12": "Kabupaten Toba Samosir",
    "73.10": "Kabupaten Pangkajene Kepulauan",
    "75.04": "Kabupaten Pahuwato",
}

Point = tuple[float, float]  # latitude, longitude


@dataclass(frozen=True)
class Centroid:
    code: str
    latitude: float
    longitude: float
    villages: int


def normalised(name: str) -> str:
    name = name.lower().replace("kota administrasi", "kota").replace("kabupaten administrasi", "kabupaten")
    return re.sub(r"[^a-z]", "", name)


def representative_point(points: list[Point]) -> Point:
    """The point nearest to the points' mean (distances on an equirectangular projection)."""
    mean_lat = sum(lat for lat, _ in points) / len(points)
    mean_lon = sum(lon for _, lon in points) / len(points)
    scale = math.cos(math.radians(mean_lat))

    def distance(point: Point) -> float:
        return (point[0] - mean_lat) ** 2 + ((point[1] - mean_lon) * scale) ** 2

    return min(points, key=distance)


def match_cities(rows: list[RegionRow], names: dict[str, str]) -> dict[str, str]:
    """Region code → the package's city code: the same code with the same (or a known former) name, else
    the one city of the package with the same name (the regencies of the provinces formed in 2022 from
    Papua and Papua Barat kept their names and got new codes)."""
    matched: dict[str, str] = {}
    wanted = [row for row in rows if row.level in (RegionLevel.REGENCY, RegionLevel.CITY)]
    for row in wanted:
        old = names.get(row.code)
        if old is not None and normalised(old) in (
            normalised(row.name),
            normalised(RENAMED.get(row.code, "")),
        ):
            matched[row.code] = row.code
    taken = set(matched.values())
    by_name: dict[str, list[str]] = defaultdict(list)
    for code, name in names.items():
        if code not in taken:
            by_name[normalised(name)].append(code)
    for row in wanted:
        if row.code not in matched and len(candidates := by_name.get(normalised(row.name), [])) == 1:
            matched[row.code] = candidates[0]
    return matched


def build(villages: list[dict[str, Any]], rows: list[RegionRow]) -> tuple[list[Centroid], list[str]]:
    """Centroids of every region the villages cover, and the codes of the regions left without one."""
    points: dict[str, list[Point]] = defaultdict(list)
    names: dict[str, str] = {}
    for village in villages:
        if village.get("latitude") is None or village.get("longitude") is None:
            continue
        city = ".".join(str(village["code"]).split(".")[:2])
        names[city] = str(village["city"])
        points[city].append((float(village["latitude"]), float(village["longitude"])))
    matched = match_cities(rows, names)
    by_region: dict[str, list[Point]] = {code: points[city] for code, city in matched.items()}
    for row in rows:
        if row.level is RegionLevel.PROVINCE:
            by_region[row.code] = [
                p for code, found in by_region.items() if code.startswith(row.code + ".") for p in found
            ]
    by_region["ID"] = [p for found in points.values() for p in found]
    centroids, missing = [], []
    for row in rows:
        found = by_region.get(row.code) or []
        if not found:
            missing.append(row.code)
            continue
        lat, lon = representative_point(found)
        centroids.append(Centroid(row.code, round(lat, 5), round(lon, 5), len(found)))
    return centroids, missing


def write(centroids: list[Centroid], path: Path = CENTROID_FILE) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "latitude", "longitude", "villages"])
        for item in centroids:
            writer.writerow([item.code, f"{item.latitude:.5f}", f"{item.longitude:.5f}", item.villages])


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    villages = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    centroids, missing = build(villages, read_rows())
    write(centroids)
    print(f"wrote {len(centroids)} centroids to {CENTROID_FILE}; without one: {', '.join(missing) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
