# Everyday commands. `make run` and `make test` each do the whole set-up on a fresh machine first.
.PHONY: setup services stop status run test lint format schema

setup:            ## uv, Debian packages, toolchain checks, Python environment
	bash infra/bootstrap.sh

services: setup   ## start every local service (idempotent)
	uv run pantau services up

stop:             ## stop the local services this checkout started
	uv run pantau services down

status:
	uv run pantau services status

run: setup        ## services + seeded regions + worker + scheduler + API with GraphiQL
	bash infra/run.sh

test: setup       ## the test suite against real local services, the storage tests on MinIO and SeaweedFS
	bash infra/test.sh

lint:             ## ruff, strict mypy on every package, and the import rules (lint-imports)
	uv run ruff check .
	uv run ruff format --check .
	uv run mypy hub schema search workers infra
	uv run lint-imports

format:
	uv run ruff format .
	uv run ruff check --fix .

schema:           ## re-export schema.graphql after changing the GraphQL schema
	uv run pantau schema export
