"""vegeta, the constant-rate HTTP load generator (it sends on schedule whether or not answers came back, so
a slow server shows as latency, not as a lower rate), built from its pinned Go module into `.local/bin` once
and kept, as the MinIO and SeaweedFS builds are. Only `make load` uses it; the test run does not."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from infra.local.paths import LocalPaths
from infra.local.process import run_checked

VEGETA_MODULE = "github.com/tsenart/vegeta/v12"
VEGETA_VERSION = "v12.13.0"


def binary() -> Path:
    """The pinned vegeta, built with `go install` when missing or of another version (~1 minute)."""
    paths = LocalPaths.from_env()
    built, stamp = paths.bin / "vegeta", paths.bin / "vegeta.version"
    if built.is_file() and stamp.is_file() and stamp.read_text().strip() == VEGETA_VERSION:
        return built
    if shutil.which("go") is None:
        raise RuntimeError("go is not on PATH; run infra/bootstrap.sh")
    print(f"building vegeta {VEGETA_VERSION} with go install")
    paths.bin.mkdir(parents=True, exist_ok=True)
    paths.logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GOBIN": str(paths.bin)}
    run_checked(["go", "install", f"{VEGETA_MODULE}@{VEGETA_VERSION}"], log_path=paths.log("vegeta"), env=env)
    stamp.write_text(VEGETA_VERSION + "\n")
    return built


def attack(
    vegeta: Path, rate: int, seconds: int, output: Path, timeout_s: int = 30
) -> subprocess.Popen[bytes]:
    """`vegeta attack` reading JSON targets lazily from its stdin, results (bodies included) to `output`.
    Connections are kept alive and the workers grow as needed to hold the rate."""
    argv = [
        str(vegeta),
        "attack",
        "-lazy",
        "-format=json",
        f"-rate={rate}/s",
        f"-duration={seconds}s",
        f"-timeout={timeout_s}s",
        "-max-workers=2000",
        f"-output={output}",
    ]
    return subprocess.Popen(argv, stdin=subprocess.PIPE, start_new_session=True)


def encode(vegeta: Path, results: Path) -> subprocess.Popen[bytes]:
    """`vegeta encode --to json` of a results file, one JSON object a line on its stdout."""
    argv = [str(vegeta), "encode", "--to", "json", str(results)]
    return subprocess.Popen(argv, stdout=subprocess.PIPE)
