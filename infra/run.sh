#!/usr/bin/env bash
# `make run`: local services, seeded regions and demo data, a Celery worker and scheduler in the background,
# and the API in the foreground. Ctrl-C stops the worker and scheduler; `make stop` stops the services.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The services the app uses (SeaweedFS, the second object store, is for the storage tests: `make test`).
uv run pantau services up mongo minio elasticsearch redis
uv run pantau seed regions
uv run pantau seed templates
# Demo data for a newcomer (two provinces: reports, incidents, cases, an election, documents, accounts);
# idempotent, so a second `make run` adds nothing. PANTAU_DEMO=0 skips it.
if [[ "${PANTAU_DEMO:-1}" != "0" ]]; then
    uv run pantau seed demo --scale small
fi

# A development admin, so GraphiQL can be used at once; its password is generated once and kept in .local/.
password_file=.local/secrets/dev-admin-password
if [[ ! -s "${password_file}" ]]; then
    mkdir -p .local/secrets
    (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(18))' >"${password_file}")
fi
PANTAU_NEW_USER_PASSWORD="$(cat "${password_file}")" uv run pantau users create --username admin --role admin \
    --region ID 2>&1 | grep -v "is taken" || true
echo "development admin: admin / $(cat "${password_file}")"
echo "  log in with the sessionCreate mutation, then add the header  Authorization: Bearer <accessToken>"
mkdir -p .local/logs
uv run pantau worker >.local/logs/worker.log 2>&1 &
worker=$!
uv run pantau scheduler >.local/logs/scheduler.log 2>&1 &
scheduler=$!
trap 'kill "${worker}" "${scheduler}" 2>/dev/null; wait "${worker}" "${scheduler}" 2>/dev/null || true' EXIT
echo "worker log: .local/logs/worker.log, scheduler log: .local/logs/scheduler.log"
uv run pantau serve
