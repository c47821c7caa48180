"""Dashboards and map GeoJSON (hub/dashboards, hub/early_warning)."""
