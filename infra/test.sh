#!/usr/bin/env bash
# `make test`: the local services, then the whole suite against them, the storage tests on MinIO and on
# SeaweedFS (tests/object_stores.py). Arguments are passed to pytest.
#
# A cold machine builds MinIO and SeaweedFS from source, minutes of CPU each (DESIGN.md section 7). The tests
# need SeaweedFS only for the storage tests' second pass, so it builds in the background from the start, at a
# lower priority (see infra/local/seaweedfs.py): it takes the CPU that the MinIO build and then the test run
# leave idle, instead of making the test run wait for both builds. The suite runs on MinIO in the foreground;
# the SeaweedFS pass starts in the background as soon as SeaweedFS is up, alongside it. That is safe because
# each pytest session isolates itself (own database, bucket, index prefix, Celery queue, Redis namespace:
# tests/conftest.py), as the sessions of several developers on shared services do every day; and it pays,
# because the suite mostly waits (on services, workers, subprocesses) rather than computes. The pass's output
# goes to a log, printed once the suite is done.
set -euo pipefail
set -m # background jobs get their own process group, so the build can be stopped with all its children
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mkdir -p .local/logs
seaweedfs_log=.local/logs/seaweedfs-up.log
seaweedfs_tests_log=.local/logs/test-seaweedfs.log
services_ready=.local/logs/test-services-ready.$$ # made once the other services are up
rm -f "${services_ready}" "${seaweedfs_tests_log}"
seaweedfs_pass() {
    uv run pantau services up seaweedfs >"${seaweedfs_log}" 2>&1 || return 1
    while [[ ! -e "${services_ready}" ]]; do
        sleep 1
    done
    uv run pytest --object-store seaweedfs "$@" >"${seaweedfs_tests_log}" 2>&1
}
seaweedfs_pass "$@" &
seaweedfs=$!
# Leaving early (a service failed, Ctrl-C): stop the build or the pass rather than leave it behind.
trap 'kill -- -"${seaweedfs}" 2>/dev/null || true; rm -f "${services_ready}"' EXIT

uv run pantau services up mongo-test minio elasticsearch redis
touch "${services_ready}"
status=0
uv run pytest --object-store minio "$@" || status=$?

echo "test: waiting for the storage tests on SeaweedFS (${seaweedfs_tests_log})"
seaweedfs_status=0
wait "${seaweedfs}" || seaweedfs_status=$?
trap - EXIT
rm -f "${services_ready}"
cat "${seaweedfs_log}"
if [[ -f "${seaweedfs_tests_log}" ]]; then
    cat "${seaweedfs_tests_log}"
elif ((seaweedfs_status != 0)); then
    echo "test: SeaweedFS did not start (log above), so the storage tests did not run on it" >&2
fi
if ((status == 0)); then
    status=${seaweedfs_status}
fi
exit "${status}"
