"""Unit tests of the pure cores: no services, no fixtures from tests/conftest.py.

`uv run pytest tests/unit` runs them on a machine without MongoDB, MinIO, Elasticsearch or Redis.
"""
