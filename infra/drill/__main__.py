"""`make drill` (`python -m infra.drill`): the multi-node drill. Starts throwaway services and the app on
ports and folders of their own (infra.drill.cluster, infra.drill.app), runs a steady load through the one
API address (infra.drill.load), SIGKILLs one Elasticsearch node, one volume server, one worker mid-task and
one API process and brings each back (infra.drill.scenario), waits until every acknowledged write has
converged (infra.drill.verify), runs `pantau check`, prints a summary and writes `.local/drill/result.json`.
Exit code 0 when nothing acknowledged was lost and the check found the stack consistent.

MongoDB is the configured one (the tests' in-memory server when configured), under a throwaway database
dropped at the end. Nothing else of the developers' services is touched."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

from pymongo import MongoClient

from infra.drill.app import PROXY_PORT, app_env, app_nodes, pantau
from infra.drill.cluster import ES_NODES, WEED_VOLUMES, Binaries, Cluster
from infra.drill.load import Load
from infra.drill.nodes import DrillFailed, Node, stop_all
from infra.drill.scenario import KillWindow, run_scenario
from infra.drill.verify import Verifier
from infra.local.versions import HOST
from infra.restore_drill import env_file_value

ROOT = Path(__file__).resolve().parents[2]
CONVERGENCE_TIMEOUT = 420.0  # a document a killed worker held is re-extracted by the sweep after 2 minutes
USERNAME = "drill"


def mongo_url() -> str:
    for key in ("PANTAU_TEST_MONGO_URL", "PANTAU_MONGO_URL"):
        value = os.environ.get(key) or env_file_value(key)
        if value:
            return value
    raise DrillFailed("no MongoDB configured (PANTAU_ENV_FILE or PANTAU_MONGO_URL)")


def start(nodes: list[Node]) -> None:
    for node in nodes:
        node.start()
    for node in nodes:
        seconds = node.wait_ready()
        print(f"  {node.name} ready ({seconds:.0f} s)")


def errors_by_window(load: Load, windows: list[KillWindow]) -> tuple[list[dict[str, object]], int]:
    """Per kill window (kill → 5 s after ready again): the requests under way in it and those that failed;
    and the failures outside every window."""
    figures: list[dict[str, object]] = []
    inside: set[int] = set()
    for window in windows:
        during = [
            index
            for index, outcome in enumerate(load.outcomes)
            if outcome.ended >= window.killed_at and outcome.at <= window.ready_at + 5
        ]
        failed = [index for index in during if load.outcomes[index].error]
        inside.update(failed)
        figures.append(
            {"node": window.node, **_by_kind(load, during, ""), **_by_kind(load, failed, "failed_")}
        )
    outside = sum(1 for index, outcome in enumerate(load.outcomes) if outcome.error and index not in inside)
    return figures, outside


def errors_after_recovery(load: Load, windows: list[KillWindow]) -> int:
    """Failed requests that started after the last kill window closed (its node ready again, plus 5 s)."""
    recovered = max((window.ready_at for window in windows), default=0.0) + 5
    return sum(1 for outcome in load.outcomes if outcome.error and outcome.at > recovered)


def headline(result: dict[str, Any]) -> dict[str, int]:
    """The figures issue 13 names, from the detailed ones: acknowledged writes, those lost, `pantau check`'s
    mismatches, failed requests during the kill windows and after the last recovery."""
    return {
        "writes_accepted": int(result["writes_acknowledged"]),
        "writes_lost": int(result["lost"]),
        "mismatches": sum(int(count) for count in result["check"]["counts"].values()),
        "errors_during_faults": sum(
            int(window["failed_writes"]) + int(window["failed_reads"])
            for window in result["requests_and_errors_during_kill_windows"]
        ),
        "errors_after_recovery": int(result["errors_after_recovery"]),
    }


def _by_kind(load: Load, indices: list[int], label: str) -> dict[str, int]:
    return {
        f"{label}{kind}s": sum(load.outcomes[i].kind == kind for i in indices) for kind in ("write", "read")
    }


async def drive(load: Load, nodes: dict[str, Node]) -> list[KillWindow]:
    await load.login()
    stop = asyncio.Event()
    running = asyncio.create_task(load.run(stop))
    try:
        return await run_scenario(load, nodes, stop)
    finally:
        stop.set()
        await running


def check(env: dict[str, str], *, grace: str | None = None) -> dict[str, Any]:
    """`pantau check --json` (exit 1 with mismatches, the report printed all the same)."""
    args = ["check", "--json", *(["--grace-seconds", grace] if grace is not None else [])]
    report: dict[str, Any] = json.loads(pantau(env, *args, allowed=(0, 1)))
    return report


def main() -> int:
    root = ROOT / ".local" / "drill"
    cluster = Cluster(root, Binaries.find())
    cluster.prepare()
    database = f"pantau_drill_{secrets.token_hex(4)}"
    url = mongo_url()
    env = app_env(root, url, database)
    services = [
        cluster.redis(),
        cluster.weed_master(),
        *(cluster.weed_volume(i) for i in range(len(WEED_VOLUMES))),
    ]
    services += [cluster.weed_filer(), *(cluster.es_node(i) for i in range(ES_NODES))]
    apps = app_nodes(env, cluster.logs)
    everything = services + apps
    try:
        print("services: Redis, SeaweedFS (master, 3 volume servers, filer + S3), 3 Elasticsearch nodes")
        start(services)
        print("seeding regions and the drill's account")
        pantau(env, "seed", "regions")
        password = secrets.token_urlsafe(18)
        pantau(
            {**env, "PANTAU_NEW_USER_PASSWORD": password},
            "users",
            "create",
            "--username",
            USERNAME,
            "--role",
            "admin",
            "--region",
            "ID",
        )
        print("app: 2 API processes behind one address, 2 workers per queue group, the scheduler")
        start(apps)
        load = Load(f"http://{HOST}:{PROXY_PORT}", USERNAME, password)
        print("load and kills")
        load_started = time.monotonic()
        windows = asyncio.run(drive(load, {node.name: node for node in everything}))
        load_seconds = time.monotonic() - load_started
        print(f"load stopped after {load_seconds:.0f} s; waiting for convergence")
        verifier = Verifier(
            url, database, env["PANTAU_MINIO_BUCKET"], f"{env['PANTAU_ES_INDEX_PREFIX']}-documents"
        )
        try:
            converged, waited = verifier.wait(load.acknowledged, CONVERGENCE_TIMEOUT)
        finally:
            verifier.close()
        recovery = time.monotonic() - max(window.restarted_at for window in windows)
        consistent, strays = check(env), check(env, grace="0")
        per_window, outside = errors_by_window(load, windows)
        lost = (
            len(converged.missing_record) + len(converged.unreadable_object) + len(converged.changed_object)
        )
        result = {
            "writes_sent": sum(o.kind == "write" for o in load.outcomes),
            "writes_acknowledged": len(load.acknowledged),
            "reads": sum(o.kind == "read" for o in load.outcomes),
            "lost": lost,
            "converged": converged.ok,
            "not_converged": converged.counts(),
            "requests_and_errors_during_kill_windows": per_window,
            "errors_outside_kill_windows": outside,
            "errors_after_recovery": errors_after_recovery(load, windows),
            "error_samples": sorted({o.error for o in load.outcomes if o.error})[:5],
            "kills": [window.as_dict(load_started) for window in windows],
            "load_seconds": round(load_seconds, 1),
            "convergence_wait_after_load_seconds": round(waited, 1),
            "recovery_seconds": round(recovery, 1),
            "check": consistent,
            # Bytes stored by an upload whose API process was killed before it recorded them: the purge
            # removes them past PANTAU_ORPHAN_OBJECT_GRACE_SECONDS; `pantau check` reports them from then on.
            "unnamed_objects_younger_than_the_grace": strays["counts"]["orphan_object"],
        }
        result = {**headline(result), **result}
        (root / "result.json").write_text(json.dumps(result, indent=2) + "\n")
        summary = {k: v for k, v in result.items() if k != "check"}
        print(json.dumps(summary, indent=2))
        verdict = "consistent" if consistent["ok"] else f"MISMATCHES {consistent['counts']}"
        print(f"pantau check: {verdict} (report in {root / 'result.json'})")
        held = (
            result["writes_lost"] == 0 and result["mismatches"] == 0 and result["errors_after_recovery"] == 0
        )
        return 0 if converged.ok and held and consistent["ok"] else 1
    finally:
        stop_all(everything)
        mongo: MongoClient[dict[str, Any]]
        with MongoClient(url, serverSelectionTimeoutMS=5000) as mongo:
            mongo.drop_database(database)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except DrillFailed as failure:
        print(f"drill failed: {failure}", file=sys.stderr)
        sys.exit(1)
