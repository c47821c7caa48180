"""Local services manager (development and CI, no Docker): see `python -m infra.local --help`."""
