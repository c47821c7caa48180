"""What the drill does to the running stack while the load runs: one SIGKILL at a time, each followed by a
time down and a restart, the window from kill to ready again recorded (errors the clients saw are counted
per window). The worker is killed mid-task: a scanned page is uploaded and the ingest worker whose process
group is running tesseract on it is the one killed."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx

from infra.drill.load import Load, scanned_page
from infra.drill.nodes import DrillFailed, Node
from infra.local.process import cmdline

WARM_UP = 20.0
DOWN = 20.0  # how long a killed node stays down
SETTLE = 10.0  # load between a node being back and the next kill
MID_TASK_TRIES = 5
BURST = 6  # uploads in flight, on connections of their own, when the API process is killed
BURST_BYTES = 768 * 1024


@dataclass
class KillWindow:
    node: str
    killed_at: float
    restarted_at: float = 0.0
    ready_at: float = 0.0
    mid_task: bool | None = None  # workers: whether a task was running when it was killed

    def as_dict(self, origin: float) -> dict[str, object]:
        figures: dict[str, object] = {
            "node": self.node,
            "killed_at_s_into_the_load": round(self.killed_at - origin, 1),
            "down_s": round(self.restarted_at - self.killed_at, 1),
            "back_after_restart_s": round(self.ready_at - self.restarted_at, 1),
        }
        if self.mid_task is not None:
            figures["mid_task"] = self.mid_task
        return figures


def running_tesseract(node: Node) -> bool:
    return any("tesseract" in " ".join(cmdline(pid) or []) for pid in node.members())


async def kill_and_restore(
    node: Node, *, mid_task: bool | None = None, already: KillWindow | None = None
) -> KillWindow:
    window = already or KillWindow(node.name, time.monotonic())
    if already is None:
        await asyncio.to_thread(node.kill)
    window.mid_task = mid_task
    await asyncio.sleep(DOWN)
    window.restarted_at = time.monotonic()
    node.start()
    await asyncio.to_thread(node.wait_ready)
    window.ready_at = time.monotonic()
    print(
        f"  {node.name}: killed, restarted, ready {window.ready_at - window.restarted_at:.1f} s after restart"
    )
    return window


async def kill_worker_mid_task(load: Load, workers: list[Node], http: httpx.AsyncClient) -> KillWindow:
    """Upload scanned pages until one of `workers` is caught running tesseract, and kill that one."""
    for attempt in range(MID_TASK_TRIES):
        upload = asyncio.create_task(load.upload(http, f"scan-{attempt}.png", scanned_page(attempt), "PHOTO"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = [node for node in workers if running_tesseract(node)]
            if busy:
                window = KillWindow(busy[0].name, time.monotonic())
                await asyncio.to_thread(busy[0].kill)
                await upload
                return await kill_and_restore(busy[0], mid_task=True, already=window)
            await asyncio.sleep(0.02)
        await upload
    raise DrillFailed(f"no ingest worker was seen running tesseract in {MID_TASK_TRIES} uploads of a scan")


async def kill_api_mid_request(load: Load, node: Node) -> KillWindow:
    """Start a burst of large uploads, each on a connection of its own (the proxy spreads them over both API
    processes), and kill `node` while they are in flight: those it held fail unacknowledged, and their bytes
    may be stored without a record (what the purge removes past the grace)."""

    async def one(serial: int) -> None:
        async with load.client() as http:
            line = f"burst {serial} {time.time_ns()}\n".encode()
            data = (line * (BURST_BYTES // len(line) + 1))[:BURST_BYTES]
            await load.upload(http, f"burst-{serial}.txt", data, "OTHER")

    burst = [asyncio.create_task(one(serial)) for serial in range(BURST)]
    await asyncio.sleep(0.3)
    window = KillWindow(node.name, time.monotonic())
    await asyncio.to_thread(node.kill)
    await asyncio.gather(*burst)
    return await kill_and_restore(node, already=window)


async def run_scenario(load: Load, nodes: dict[str, Node], stop: asyncio.Event) -> list[KillWindow]:
    """Warm up, kill one Elasticsearch node, one volume server, one ingest worker mid-task and one API
    process, one after the other, then stop the load after a last stretch."""
    windows: list[KillWindow] = []
    await asyncio.sleep(WARM_UP)
    for name in ("es-1", "weed-volume-2"):
        windows.append(await kill_and_restore(nodes[name]))
        await asyncio.sleep(SETTLE)
    workers = [node for name, node in nodes.items() if name.startswith("worker-ingest")]
    async with load.client() as http:
        windows.append(await kill_worker_mid_task(load, workers, http))
    await asyncio.sleep(SETTLE)
    windows.append(await kill_api_mid_request(load, nodes["api-1"]))
    await asyncio.sleep(SETTLE * 2)
    stop.set()
    return windows
