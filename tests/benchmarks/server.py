"""The server the benchmarks talk to: the hub's app exactly as `pantau serve` builds and runs it (production
settings from PANTAU_* variables), plus the hand-written baseline endpoints under /raw/, and two routes of
the benchmark's own: /bench/timings (the server-side time of each request since the last call, measured
around the whole ASGI app, and the server process's CPU time meanwhile) and /bench/commands (MongoDB
commands sent since the last call). With BENCH_PROFILE set to a file, the server's cProfile of its whole run
is written there when it stops.

Run by tests.benchmarks.harness.server_process: python -m tests.benchmarks.server --port N
"""

from __future__ import annotations

import argparse
import cProfile
import os
import time
from typing import Any

import orjson
import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.settings import Settings
from tests.mongo_commands import COMMANDS  # registered before any client exists

TIMINGS: list[tuple[str, float, float]] = []
PROFILE_PATH = os.environ.get("BENCH_PROFILE")
PROFILER = cProfile.Profile()


class ServerTiming:
    """From the request's arrival at the app to its last body byte handed to the server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan" and PROFILE_PATH:
            # uvicorn ends the process by the signal it caught after shutdown: the profile is written here.
            async def dump_at_shutdown() -> Message:
                message = await receive()
                if message["type"] == "lifespan.shutdown":
                    PROFILER.disable()
                    PROFILER.dump_stats(PROFILE_PATH)
                return message

            await self.app(scope, dump_at_shutdown, send)
            return
        if scope["type"] != "http" or scope["path"].startswith("/bench/"):
            await self.app(scope, receive, send)
            return
        started, cpu_started = time.perf_counter(), time.process_time()

        async def timed_send(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                elapsed = time.perf_counter() - started
                TIMINGS.append((scope["path"], elapsed, time.process_time() - cpu_started))

        await self.app(scope, receive, timed_send)


async def timings(request: Request) -> Response:
    found = list(TIMINGS)
    TIMINGS.clear()
    return Response(orjson.dumps(found), media_type="application/json")


async def commands(request: Request) -> Response:
    found: dict[str, Any] = dict(COMMANDS.counts)
    COMMANDS.reset()
    return Response(orjson.dumps(found), media_type="application/json")


def create_bench_app(settings: Settings) -> ASGIApp:
    from hub.app import create_app
    from tests.benchmarks.raw_reports import raw_reports
    from tests.benchmarks.raw_search import raw_search

    app = create_app(settings)
    app.router.routes[0:0] = [
        Route("/raw/reports", raw_reports, methods=["GET"]),
        Route("/raw/search", raw_search, methods=["POST"]),
        Route("/bench/timings", timings),
        Route("/bench/commands", commands),
    ]
    return ServerTiming(app)


def main() -> None:
    from hub.cli import _configure_logging
    from hub.settings import load_settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    settings = load_settings()
    _configure_logging(settings)
    # BENCH_PROFILE=<file>: the server's CPU profile (cProfile, the whole run) written there when it stops,
    # for reading where the time goes (pstats); not set by any benchmark.
    if PROFILE_PATH:
        PROFILER.enable()
    # As `pantau serve` runs the hub (hub/cli.py).
    uvicorn.run(
        create_bench_app(settings),
        host="127.0.0.1",
        port=port,
        log_config=None,
        log_level="info",
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
