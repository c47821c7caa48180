#!/usr/bin/env bash
# `make run`: local services, seeded regions, a Celery worker and scheduler in the background, and the API in
# the foreground. Ctrl-C stops the worker and scheduler; `make stop` stops the services.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

uv run pantau services up
uv run pantau seed regions
mkdir -p .local/logs
uv run pantau worker >.local/logs/worker.log 2>&1 &
worker=$!
uv run pantau scheduler >.local/logs/scheduler.log 2>&1 &
scheduler=$!
trap 'kill "${worker}" "${scheduler}" 2>/dev/null; wait "${worker}" "${scheduler}" 2>/dev/null || true' EXIT
echo "worker log: .local/logs/worker.log, scheduler log: .local/logs/scheduler.log"
uv run pantau serve
