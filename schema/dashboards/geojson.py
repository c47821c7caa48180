"""The `GeoJSON` scalar: a FeatureCollection of RFC 7946, for map frontends.

Left as one JSON value rather than GraphQL types on purpose: map libraries (Leaflet, MapLibre, OpenLayers)
take a FeatureCollection as it is, and GeoJSON's coordinates are nested arrays of numbers that GraphQL can
only type as lists of lists of floats, which every client would then have to rebuild into the same document.
The fields that return it describe its `properties` exactly; enum-valued properties use the GraphQL enum
values.
"""

from __future__ import annotations

from typing import Any, NewType

import strawberry

GeoJSON = NewType("GeoJSON", dict[str, Any])
GEOJSON_SCALAR = strawberry.scalar(
    name="GeoJSON",
    description="A GeoJSON (RFC 7946) FeatureCollection of Points with [longitude, latitude] coordinates, "
    "as one JSON value; the field returning it describes the properties of its Features.",
    specified_by_url="https://www.rfc-editor.org/rfc/rfc7946",
)
