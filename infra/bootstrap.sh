#!/usr/bin/env bash
# Prepare a development or CI machine (no Docker) for the local services: uv, the Debian packages
# (redis-server, tesseract-ocr, tesseract-ocr-ind, poppler-utils; chromium for the GraphiQL browser test), the
# toolchains the services are built with, the Python environment, and the GraphiQL bundle the hub serves in
# development (infra/graphiql: pinned npm packages, built once per lockfile). Idempotent, and quick when everything is present. Then:
#   uv run python -m infra.local up      (or: uv run pantau services up)
set -euo pipefail

UV_VERSION="0.13.9" # keep equal to UV_VERSION in infra/local/versions.py
DEBIAN_PACKAGES=(redis-server tesseract-ocr tesseract-ocr-ind poppler-utils chromium)
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf 'bootstrap: %s\n' "$*"; }
fail() {
    printf 'bootstrap: error: %s\n' "$*" >&2
    exit 1
}

# 1. uv
if ! command -v uv >/dev/null 2>&1; then
    command -v python3 >/dev/null 2>&1 || fail "python3 is needed to install uv"
    say "installing uv ${UV_VERSION} with pip"
    if ! python3 -m pip install --quiet "uv==${UV_VERSION}"; then
        # Debian's system Python refuses plain pip installs (PEP 668); uv is a self-contained binary wheel
        say "retrying as a user install"
        python3 -m pip install --quiet --user --break-system-packages "uv==${UV_VERSION}"
    fi
    hash -r
    if ! command -v uv >/dev/null 2>&1; then
        user_bin="$(python3 -c 'import site, os; print(os.path.join(site.USER_BASE, "bin"))')"
        export PATH="${user_bin}:${PATH}"
        command -v uv >/dev/null 2>&1 || fail "uv was installed but is not on PATH; add its folder to PATH"
        say "uv is in ${user_bin}; add that folder to PATH"
    fi
fi

# 2. Debian packages
missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "${package}" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("${package}")
    fi
done
if ((${#missing[@]} > 0)); then
    if [[ "$(id -u)" -eq 0 ]]; then
        say "installing ${missing[*]}"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
    else
        fail "missing Debian packages: ${missing[*]}. Run as root:
    apt-get update && apt-get install -y ${missing[*]}"
    fi
fi

# 3. Toolchains the local services are built and run with
need() {
    command -v "$1" >/dev/null 2>&1 || fail "'$1' not found on PATH: $2"
}
need go "Go builds MinIO (go install); install a Go toolchain 1.24 or later"
need java "Java runs the MongoDB-protocol server; install a JDK 17+ (e.g. apt-get install -y openjdk-17-jdk)"
need javac "javac compiles infra/mongo/PantauMongo.java; install a JDK, not only a JRE"
need mvn "Maven fetches the server jars and Elasticsearch (apt-get install -y maven)"
need npm "npm installs the pinned GraphiQL packages (infra/graphiql); install Node.js 20+ with npm"
if [[ -z "${PANTAU_LOCAL_ES_JAVA_HOME:-}" ]] && ! compgen -G "/usr/lib/jvm/temurin-*/bin/java" >/dev/null; then
    say "warning: no /usr/lib/jvm/temurin-* JDK; Elasticsearch needs one (or set PANTAU_LOCAL_ES_JAVA_HOME)"
fi

# 4. Python environment
cd "${REPO_ROOT}"
uv sync --frozen

# 5. GraphiQL: the packages of infra/graphiql/package-lock.json, bundled into infra/graphiql/dist (served by the
# hub in development, so the page needs no Internet access). Rebuilt only when the lockfile or sources change.
# A fresh checkout (CI clones one each run) copies the packages and bundle that another checkout built from the
# same lockfile and sources, kept under the user's cache: seconds, where `npm ci` and the bundling take a minute.
graphiql="${REPO_ROOT}/infra/graphiql"
stamp="$(cat "${graphiql}/package-lock.json" "${graphiql}/build.mjs" "${graphiql}"/src/* | sha256sum | cut -d' ' -f1)"
built="${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/pantau-hub/graphiql"
if [[ "$(cat "${graphiql}/dist/.stamp" 2>/dev/null)" != "${stamp}" ]]; then
    copied=no
    if [[ "$(cat "${built}/${stamp}/dist/.stamp" 2>/dev/null)" == "${stamp}" ]]; then
        say "GraphiQL: copying the packages and bundle built from this lockfile (${built}/${stamp})"
        rm -rf "${graphiql}/node_modules" "${graphiql}/dist"
        if cp -a "${built}/${stamp}/node_modules" "${built}/${stamp}/dist" "${graphiql}/"; then
            copied=yes
        else # removed or damaged meanwhile: build as a fresh machine does
            rm -rf "${graphiql}/node_modules" "${graphiql}/dist"
        fi
    fi
    if [[ "${copied}" == no ]]; then
        say "installing and bundling GraphiQL (infra/graphiql)"
        (cd "${graphiql}" && npm ci --no-audit --no-fund --loglevel=error && node build.mjs)
        echo "${stamp}" >"${graphiql}/dist/.stamp"
        # Kept for the next fresh checkout (only the latest build), written aside first so that an interrupted
        # copy, or another checkout's at the same time, is never taken for a whole one.
        # Best effort: a home that cannot be written (a locked-down CI user) only loses the shortcut.
        partial="${built}/.partial.$$"
        if mkdir -p "${partial}" 2>/dev/null && cp -a "${graphiql}/node_modules" "${graphiql}/dist" "${partial}/"; then
            find "${built}" -mindepth 1 -maxdepth 1 ! -name '.partial.*' -exec rm -rf {} + || true
            mv -T "${partial}" "${built}/${stamp}" 2>/dev/null || rm -rf "${partial}"
        else
            rm -rf "${partial}" 2>/dev/null || true
        fi
    fi
fi
say "ready; start the services with: uv run python -m infra.local up"
