"""GeoJSON (RFC 7946) for map frontends: incident points and region centres, as FeatureCollections of
Points with [longitude, latitude] coordinates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from hub.dashboards.frame import Frame
from hub.dashboards.incidents import in_frame
from hub.regions.models import Region, RegionLevel
from hub.regions.services import region_tree
from hub.reports.models import IncidentCategory, Report, RiskLevel

MAX_POINTS = 5000
CENTRE_METHOD = (
    "approximate centre: the village point nearest to the mean of the region's village points "
    "(village coordinates of the npm package geografis 1.3.2, MIT); not an official centroid"
)
_PROJECTION = {
    "_id": 1,
    "title": 1,
    "region_code": 1,
    "incident.category": 1,
    "incident.severity": 1,
    "incident.occurred_at": 1,
    "incident.latitude": 1,
    "incident.longitude": 1,
}


def point(longitude: float, latitude: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(longitude, 6), round(latitude, 6)]}


def feature_collection(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features, **members}


def _iso(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _incident_feature(row: dict[str, Any], report_id: Callable[[str], str]) -> dict[str, Any]:
    incident = row["incident"]
    identifier = report_id(str(row["_id"]))
    return {
        "type": "Feature",
        "id": identifier,
        "geometry": point(float(incident["longitude"]), float(incident["latitude"])),
        # Enum values as the API spells them everywhere (the GraphQL names: `DEMONSTRATION`, `HIGH`).
        "properties": {
            "id": identifier,
            "category": IncidentCategory(incident["category"]).name,
            "severity": RiskLevel(incident["severity"]).name,
            "occurredAt": _iso(incident["occurred_at"]),
            "title": row.get("title"),
            "regionCode": row.get("region_code"),
        },
    }


async def incident_points(
    frame: Frame, *, limit: int = MAX_POINTS, report_id: Callable[[str], str] = str
) -> dict[str, Any]:
    """The frame's incidents that have coordinates, the latest first, at most `limit`; `truncated` (a
    foreign member) says whether there were more."""
    located = {"incident.latitude": {"$ne": None}, "incident.longitude": {"$ne": None}}
    criteria = {"$and": [in_frame(frame), located]}
    cursor = (
        Report.get_pymongo_collection()
        .find(criteria, _PROJECTION)
        .sort([("incident.occurred_at", -1), ("_id", -1)])
        .limit(limit + 1)
    )
    rows = await cursor.to_list()
    features = [_incident_feature(row, report_id) for row in rows[:limit]]
    return feature_collection(features, truncated=len(rows) > limit)


def _centre_feature(region: Region) -> dict[str, Any]:
    assert region.latitude is not None and region.longitude is not None
    return {
        "type": "Feature",
        "id": region.id,
        "geometry": point(region.longitude, region.latitude),
        "properties": {
            "code": region.id,
            "name": region.name,
            "level": region.level.name,
            "parentCode": region.parent_code,
        },
    }


async def region_centres(level: RegionLevel | None = None, parent: str | None = None) -> dict[str, Any]:
    """Regions of a level and/or under a direct parent that have a centre, ordered by code (from the cached
    region tree: no query)."""
    regions = [
        region
        for region in await region_tree()
        if (level is None or region.level is level)
        and (parent is None or region.parent_code == parent)
        and region.latitude is not None
        and region.longitude is not None
    ]
    return feature_collection([_centre_feature(region) for region in regions], method=CENTRE_METHOD)
