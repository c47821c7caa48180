"""Benchmark: a 1 GiB GraphQL multipart upload through the hub, running as its own server process, against
minio-py uploading the same file straight to the same MinIO.

Run with the shared services:  uv run python -m tests.benchmarks.upload_1gib [--size-mib 1024] [--rounds 7]
It starts `python -m hub.cli serve` on a free port with its own database, bucket, index prefix and queue,
writes a plain-text file of the given size, then per round uploads it through the hub (a streaming client: the
file is never held in memory) while watching the server's resident memory, and with minio-py `fput_object`,
in ABBA order, with the same part size and the same number of parts in flight on both sides (the hub's
hub.storage settings), production settings and the rate limiter on. It prints both throughputs, the median of
the rounds' ratios, the server's largest peak memory growth (the first round's, usually: the allocator keeps
some of it for the next rounds) and its peak resident memory, the CPU of the server and of the two clients,
and removes everything it made.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.clients import Clients, open_clients
from hub.regions.seed import seed_regions
from hub.settings import Settings
from hub.storage import STREAM_PARALLEL, STREAM_PART_SIZE
from search.indices import drop_indices
from tests.benchmarks.harness import abba_order, bench_settings, load_average, record
from tests.graphql import PREFLIGHT, UPLOAD_MUTATION, region_id
from tests.processes import stop

MIB = 1024 * 1024
SEND_CHUNK = MIB
PASSWORD = "bench-password-2026"
# One province per round: the same bytes in another region are a new document, not a duplicate.
REGIONS = ["31", "32", "33", "34", "35", "36", "51", "52", "53", "61", "62", "63", "64", "71", "72", "73"]
ROOT = Path(__file__).resolve().parents[2]
TARGET_MEMORY_MIB = 64
TARGET_RATIO = 0.9


def write_text_file(path: Path, size: int) -> str:
    """`size` bytes of plain text (lines in Indonesian, numbered so no two blocks are alike); its SHA-256."""
    digest = hashlib.sha256()
    line = "Laporan triwulan Kesbangpol: situasi politik kondusif, tahapan pemilu berjalan sesuai jadwal."
    with path.open("wb") as out:
        written, block_number = 0, 0
        while written < size:
            head = f"blok {block_number:08d}\n".encode()
            body = (line + "\n").encode() * (MIB // (len(line) + 1))
            block = (head + body)[: min(MIB, size - written)]
            out.write(block)
            digest.update(block)
            written += len(block)
            block_number += 1
    return digest.hexdigest()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(settings: Settings) -> dict[str, str]:
    """The settings as PANTAU_* variables; the services file is not read by the server."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PANTAU_")}
    for name, value in settings.model_dump(mode="json").items():
        field = getattr(settings, name)
        if value is None:
            continue
        env[f"PANTAU_{name.upper()}"] = str(
            field.get_secret_value() if hasattr(field, "get_secret_value") else value
        )
    env["PANTAU_ENV_FILE"] = "/nonexistent"
    return env


def start_server(settings: Settings, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "hub.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=server_env(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server exited with {process.returncode}:\n{log_path.read_text()[-3000:]}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"the server did not answer in 60 s:\n{log_path.read_text()[-3000:]}")


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no {field}")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemoryWatch:
    """The peak resident memory of a process from now on: VmHWM after resetting it (clear_refs 5), exact; or,
    where the reset is not allowed, VmRSS sampled every few milliseconds (a thread that would otherwise take
    CPU from the hub's round only, on a machine of two cores)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.baseline_kib = 0
        self.sampled_peak_kib = 0
        self.hwm_reset = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> MemoryWatch:
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        self.baseline_kib = _status_kib(self.pid, "VmRSS")
        self.sampled_peak_kib = self.baseline_kib
        if not self.hwm_reset:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.sampled_peak_kib = max(self.sampled_peak_kib, _status_kib(self.pid, "VmRSS"))
        if self.hwm_reset:
            self.sampled_peak_kib = max(self.sampled_peak_kib, _status_kib(self.pid, "VmHWM"))

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.sampled_peak_kib = max(self.sampled_peak_kib, _status_kib(self.pid, "VmRSS"))

    @property
    def growth_mib(self) -> float:
        return (self.sampled_peak_kib - self.baseline_kib) / 1024


def multipart_body(path: Path, boundary: str, region: str) -> tuple[Iterator[bytes], int]:
    """The GraphQL multipart request (operations, map, the file) as a stream of chunks, and its length."""
    variables = {"input": {"region": region_id(region), "category": "DECREE", "file": None}}
    fields = {
        "operations": json.dumps({"query": UPLOAD_MUTATION, "variables": variables}),
        "map": json.dumps({"0": ["variables.input.file"]}),
    }
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="{path.name}"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = path.stat().st_size

    def chunks() -> Iterator[bytes]:
        yield head
        with path.open("rb") as file:
            while chunk := file.read(SEND_CHUNK):
                yield chunk
        yield tail

    return chunks(), len(head) + size + len(tail)


def upload_through_hub(base_url: str, token: str, path: Path, region: str) -> tuple[float, dict[str, Any]]:
    boundary = uuid.uuid4().hex
    body, length = multipart_body(path, boundary, region)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(length),
        **PREFLIGHT,
    }
    with httpx.Client(base_url=base_url, timeout=httpx.Timeout(600.0)) as client:
        started = time.perf_counter()
        response = client.post("/graphql", content=body, headers=headers)
        elapsed = time.perf_counter() - started
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    if "errors" in result or result["data"]["documentUpload"]["errors"]:
        raise RuntimeError(f"the upload failed: {result}")
    return elapsed, result["data"]["documentUpload"]


@dataclass(frozen=True)
class Round:
    hub_seconds: float
    hub_cpu_seconds: float
    direct_seconds: float
    memory: MemoryWatch
    # This process's CPU during each side's upload: the HTTP client sending to the hub, and minio-py. Both
    # run on the same two cores as the hub and MinIO, so they take CPU from them.
    hub_client_cpu_seconds: float
    direct_cpu_seconds: float


def hub_round(
    target: Target, path: Path, sha256: str, region: str
) -> tuple[float, float, float, MemoryWatch]:
    cpu_before, client_before = _cpu_seconds(target.pid), time.process_time()
    with MemoryWatch(target.pid) as memory:
        seconds, uploaded = upload_through_hub(target.base_url, target.token, path, region)
    cpu, client_cpu = _cpu_seconds(target.pid) - cpu_before, time.process_time() - client_before
    document = uploaded["document"]
    if not uploaded["created"] or document["sha256"] != sha256 or document["size"] != path.stat().st_size:
        raise RuntimeError(f"the hub stored something else: {uploaded}")
    return seconds, cpu, client_cpu, memory


def direct_round(clients: Clients, path: Path, key: str) -> tuple[float, float]:
    store = clients.store
    started, cpu_before = time.perf_counter(), time.process_time()
    store.client.fput_object(
        store.bucket,
        key,
        str(path),
        content_type="text/plain",
        part_size=STREAM_PART_SIZE,
        num_parallel_uploads=STREAM_PARALLEL,
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_before
    store.client.remove_object(store.bucket, key)
    return seconds, cpu


@dataclass(frozen=True)
class Target:
    base_url: str
    token: str
    pid: int


def run_rounds(clients: Clients, target: Target, path: Path, sha256: str, rounds: int) -> list[Round]:
    """Rounds of one upload each way, in alternating order, so that load on the machine hits both alike."""
    warm = path.with_name("warm-up.txt")
    write_text_file(warm, 64 * 1024)
    upload_through_hub(target.base_url, target.token, warm, REGIONS[0])  # first-request work, not measured
    results = []
    for number, hub_first in enumerate(abba_order(rounds)):
        region = REGIONS[number % len(REGIONS)]
        if hub_first:
            hub_seconds, hub_cpu, client_cpu, memory = hub_round(target, path, sha256, region)
            direct_seconds, direct_cpu = direct_round(clients, path, f"bench/direct-{number}")
        else:
            direct_seconds, direct_cpu = direct_round(clients, path, f"bench/direct-{number}")
            hub_seconds, hub_cpu, client_cpu, memory = hub_round(target, path, sha256, region)
        results.append(Round(hub_seconds, hub_cpu, direct_seconds, memory, client_cpu, direct_cpu))
        print(
            f"  round {number + 1}: hub {hub_seconds:6.2f} s, direct {direct_seconds:6.2f} s, "
            f"ratio {direct_seconds / hub_seconds:4.2f}, memory growth {memory.growth_mib:5.1f} MiB",
            flush=True,
        )
    return results


def report(size_mib: int, rounds: list[Round]) -> None:
    hub_seconds = statistics.median(item.hub_seconds for item in rounds)
    direct_seconds = statistics.median(item.direct_seconds for item in rounds)
    hub_rate, direct_rate = size_mib / hub_seconds, size_mib / direct_seconds
    peak = max(rounds, key=lambda item: item.memory.growth_mib).memory
    how = "VmHWM reset before the round" if peak.hwm_reset else "VmRSS sampled every 5 ms"
    cpu = statistics.median(item.hub_cpu_seconds for item in rounds)
    print(f"upload of {size_mib} MiB of plain text, median of {len(rounds)} rounds")
    print(f"  hub (GraphQL multipart)   {hub_seconds:7.2f} s  {hub_rate:8.1f} MiB/s")
    print(f"  minio-py fput_object      {direct_seconds:7.2f} s  {direct_rate:8.1f} MiB/s")
    # Each round's two uploads ran back to back under the same load: the median of their ratios is steadier
    # than the ratio of the medians when other work comes and goes on the machine.
    ratio = statistics.median(item.direct_seconds / item.hub_seconds for item in rounds)
    print(f"  ratio hub/direct          {ratio:7.2f}    (median of the rounds; target >= {TARGET_RATIO})")
    print(
        f"  server memory growth      {peak.growth_mib:7.1f} MiB  (largest of the rounds; target <= "
        f"{TARGET_MEMORY_MIB} MiB; baseline {peak.baseline_kib / 1024:.0f} MiB, {how})"
    )
    print(f"  server CPU per upload     {cpu:7.2f} s")
    client_cpu = statistics.median(item.hub_client_cpu_seconds for item in rounds)
    direct_cpu = statistics.median(item.direct_cpu_seconds for item in rounds)
    print(f"  client CPU per upload     {client_cpu:7.2f} s  (minio-py's: {direct_cpu:.2f} s)")
    record(
        p4_ratio=round(ratio, 3),
        p4_memory_mib=round(peak.growth_mib, 1),
        p4_peak_rss_mib=round(peak.sampled_peak_kib / 1024, 1),
    )


async def cleanup(clients: Clients, settings: Settings) -> None:
    def empty_bucket() -> None:
        for key in clients.store.keys_sync():
            clients.store.client.remove_object(settings.minio_bucket, key)
        clients.store.client.remove_bucket(settings.minio_bucket)

    await clients.mongo.drop_database(settings.mongo_database)
    await drop_indices(clients.es, settings.es_index_prefix)
    # The queue of ingest messages (no worker runs here) and kombu's bindings: names of this run's own.
    queued = [key async for key in clients.redis.scan_iter(match=f"*{settings.celery_queue}*")]
    if queued:
        await clients.redis.delete(*queued)
    await asyncio.to_thread(empty_bucket)


async def main(size_mib: int, rounds: int) -> None:
    run = uuid.uuid4().hex[:8]
    settings = bench_settings(run, max_upload_bytes=size_mib * MIB + MIB)
    print(f"P4 (load average {load_average()})")
    clients = await open_clients(settings)
    server: subprocess.Popen[bytes] | None = None
    with tempfile.TemporaryDirectory(prefix="pantau-upload-bench-") as scratch:
        try:
            await clients.store.ensure_bucket()
            await seed_regions()
            await create_user(username="bench-admin", password=PASSWORD, role=Role.ADMIN, region_code="ID")
            token = (await login(settings, "bench-admin", PASSWORD)).access_token
            path = Path(scratch) / "laporan.txt"
            sha256 = await asyncio.to_thread(write_text_file, path, size_mib * MIB)
            port = free_port()
            server = await asyncio.to_thread(start_server, settings, port, Path(scratch) / "server.log")
            target = Target(f"http://127.0.0.1:{port}", token, server.pid)
            results = await asyncio.to_thread(run_rounds, clients, target, path, sha256, rounds)
            report(size_mib, results)
        except BaseException:
            log = Path(scratch) / "server.log"
            if log.is_file():
                print(f"server log (end):\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
            raise
        finally:
            if server is not None:
                await asyncio.to_thread(stop, server)
            await cleanup(clients, settings)
            await clients.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="size of the uploaded file in MiB")
    parser.add_argument(
        "--rounds", type=int, default=7, help=f"uploads each way, 1 to {len(REGIONS)} (medians reported)"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.size_mib, min(max(1, arguments.rounds), len(REGIONS))))
