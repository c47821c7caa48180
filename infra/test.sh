#!/usr/bin/env bash
# `make test`: the local services, then the whole suite against them, the storage tests on MinIO and on
# SeaweedFS (tests/object_stores.py). Arguments are passed to pytest.
#
# A cold machine builds MinIO and SeaweedFS from source, minutes of CPU each (DESIGN.md section 7). The tests
# need SeaweedFS only at the end, so it builds in the background from the start, at a lower priority (see
# infra/local/seaweedfs.py): it takes the CPU that the MinIO build and then the test run leave idle, instead of
# making the test run wait for both builds. The suite runs on MinIO first, then the storage tests on SeaweedFS.
set -euo pipefail
set -m # background jobs get their own process group, so the build can be stopped with all its children
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mkdir -p .local/logs
seaweedfs_log=.local/logs/seaweedfs-up.log
uv run pantau services up seaweedfs >"${seaweedfs_log}" 2>&1 &
builder=$!
# Leaving early (a service failed, Ctrl-C): stop the build rather than leave it behind.
trap 'kill -- -"${builder}" 2>/dev/null || true' EXIT

uv run pantau services up mongo-test minio elasticsearch redis
status=0
uv run pytest --object-store minio "$@" || status=$?

echo "test: waiting for SeaweedFS (${seaweedfs_log})"
if ! wait "${builder}"; then
    cat "${seaweedfs_log}"
    echo "test: SeaweedFS did not start (log above), so the storage tests did not run on it" >&2
    exit 1
fi
trap - EXIT
cat "${seaweedfs_log}"
uv run pytest --object-store seaweedfs "$@" || status=$?
exit "${status}"
