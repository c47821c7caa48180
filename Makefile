# Everyday commands. `make run` and `make test` each do the whole set-up on a fresh machine first.
.PHONY: setup services stop status run test test-slow lint format schema restore-drill drill bench load

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

test-slow:        ## the slowest tests and modules of the last test run (tests/durations.py); runs nothing
	uv run python -m tests.durations $(N)

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

# Backup → change → incremental backup → wipe → restore → reconcile, on throwaway names of the configured
# services (infra/restore_drill.py). Services are started only when none are configured: with PANTAU_ENV_FILE
# (or PANTAU_MONGO_URL) set, someone else runs them and they are left alone. Not part of .ci/run.
restore-drill:    ## prove that a backup restores: every record, object and index entry back
	@if [ -n "$$PANTAU_MONGO_URL" ] || { [ -n "$$PANTAU_ENV_FILE" ] && [ -f "$$PANTAU_ENV_FILE" ]; }; then \
		echo "services configured ($${PANTAU_ENV_FILE:-environment}): not starting any"; \
	else \
		$(MAKE) services; \
	fi
	uv run python -m infra.restore_drill

bench:            ## benchmarks against the running services (PANTAU_ENV_FILE); fills the README's table. ARGS="--only p1,p5"
	uv run python -m tests.benchmarks $(ARGS)

# Throwaway clusters on loopback under .local/drill (3 Elasticsearch nodes, SeaweedFS with 3 volume servers and
# replication 001, Redis), 2 API processes behind one address, 2 workers per queue group, the scheduler; a load
# runs while one node of each kind is SIGKILLed and restarted; then every acknowledged write is checked and
# `pantau check` runs (infra/drill). Uses the binaries `pantau services up` installed and the configured
# MongoDB (a throwaway database). Several minutes and ~4 GB of memory. Not part of .ci/run.
drill:            ## multi-node drill: kill nodes under load, prove nothing acknowledged was lost
	uv run python -m infra.drill

# A constant-rate mixed load (vegeta, built once into .local/bin) against the hub as in production: its own
# MongoDB stand-in seeded with the national demo data, API processes, a worker per queue, the scheduler, on the
# shared Elasticsearch, SeaweedFS and Redis (PANTAU_ENV_FILE). Writes .local/load/result.json; every process it
# started is stopped at the end. `make load ARGS="--rate 50 --duration 60"`. Not part of .ci/run.
load:             ## constant-rate load test: p50/p95/p99 per operation, errors, CPU and memory slope per process
	uv run python -m infra.load $(ARGS)
