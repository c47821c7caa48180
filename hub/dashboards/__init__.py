"""Dashboards: incident, case, completeness and election-support figures under one region, for the viewer's
scope, in a bounded number of queries whatever the number of regions; GeoJSON for map frontends."""
