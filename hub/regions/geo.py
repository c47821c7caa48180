"""Whether a position lies in a region, as well as the regions' data allows.

The hub holds no region boundaries, only an approximate centre per region (`Region.latitude`/`longitude`,
seeded from hub/regions/data/centroids.csv). So "outside the region" is read as "farther from its centre
than the radius for its level" (PANTAU_REGION_RADIUS_KM): a coarse test that flags a photo taken in another
province or far across a regency, not one taken a street beyond the border. Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum

from hub.regions.models import Region

EARTH_RADIUS_KM = 6371.0088


class Placement(StrEnum):
    INSIDE = "inside"
    OUTSIDE = "outside"
    UNKNOWN = "unknown"  # the region has no centre, or its level has no radius


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = math.radians(lat2 - lat1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def placement(region: Region, latitude: float, longitude: float, radii_km: Mapping[str, float]) -> Placement:
    """INSIDE when within the level's radius of the region's centre, OUTSIDE beyond it."""
    radius = radii_km.get(region.level.value)
    if region.latitude is None or region.longitude is None or radius is None:
        return Placement.UNKNOWN
    far = distance_km(region.latitude, region.longitude, latitude, longitude)
    return Placement.INSIDE if far <= radius else Placement.OUTSIDE
