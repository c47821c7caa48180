"""The committed SDL (schema.graphql) is what the code builds: frontends read it, so drift must fail."""

from __future__ import annotations

from pathlib import Path

from schema.schema import build_schema

SDL = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_committed_sdl_matches_the_code() -> None:
    built = build_schema(production=False).as_str() + "\n"
    assert SDL.read_text(encoding="utf-8") == built, (
        "schema.graphql is stale: run `uv run pantau schema export`"
    )


def test_production_schema_refuses_introspection() -> None:
    result = build_schema(production=True).execute_sync("{ __schema { types { name } } }")
    assert result.errors
    assert "introspection" in result.errors[0].message.lower()
