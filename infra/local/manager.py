"""Bring the local services up, down, and report on them."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from infra.local.elasticsearch import ElasticsearchService
from infra.local.envfile import EXTERNAL_TRIGGER, detect_external, merge_env, write_private
from infra.local.minio import MinioService
from infra.local.mongo import MongoService, MongoTestService
from infra.local.paths import LocalPaths
from infra.local.process import StopOutcome, file_lock, is_alive, start_detached, stop, tail
from infra.local.process import age as process_age
from infra.local.redis import RedisService
from infra.local.seaweedfs import SeaweedfsService
from infra.local.service import Service, port_open

SERVICE_TYPES: tuple[type[Service], ...] = (
    MongoService,
    MongoTestService,
    MinioService,
    ElasticsearchService,
    RedisService,
    SeaweedfsService,
)
SERVICE_NAMES: tuple[str, ...] = tuple(kind.name for kind in SERVICE_TYPES)
assert set(SERVICE_NAMES) == set(EXTERNAL_TRIGGER)

Report = Callable[[str], None]


class ServiceError(RuntimeError):
    pass


@dataclass
class Outcome:
    name: str
    state: str  # started / already running / external / failed / running / stopped / ...
    address: str
    pid: int | None = None
    healthy: bool | None = None
    log: str = ""
    seconds: float = 0.0
    detail: str = ""
    ok: bool = True


def all_services(paths: LocalPaths) -> dict[str, Service]:
    return {kind.name: kind(paths) for kind in SERVICE_TYPES}


def select(names: Iterable[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(names or ()))
    unknown = [name for name in chosen if name not in SERVICE_NAMES]
    if unknown:
        raise ServiceError(f"unknown service(s): {', '.join(unknown)}; known: {', '.join(SERVICE_NAMES)}")
    return chosen or list(SERVICE_NAMES)


def _wait_healthy(service: Service, proc: subprocess.Popen[bytes] | None, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            service.pid_file.unlink(missing_ok=True)
            raise ServiceError(f"{service.name} exited with code {proc.returncode} while starting")
        if service.healthy():
            return
        if time.monotonic() >= deadline:
            raise ServiceError(f"{service.name} did not answer within {timeout:.0f} s")
        time.sleep(0.5)


def _recorded_fingerprint(service: Service) -> str | None:
    try:
        return service.fingerprint_file.read_text().strip()
    except FileNotFoundError:
        return None


def _restart_reason(service: Service, pid: int, healthy: bool) -> str | None:
    """Why our running process must be restarted, if it must."""
    recorded = _recorded_fingerprint(service)
    if recorded is not None and recorded != service.fingerprint():
        return "it was started with another configuration or version"
    if healthy:
        return None
    if recorded is None:
        return "it does not answer and its configuration is unknown"
    running_for = process_age(pid) or 0.0
    if running_for > service.start_timeout:
        return f"it has run for {running_for:.0f} s without answering"
    return None


def ensure_running(service: Service, say: Report) -> Outcome:
    """Start `service` unless our process already runs and answers; wait until it answers. Holds the
    service's own lock: two managers never start the same service at once, but each may start others (so a
    long build of one service does not hold up `up` of the others)."""
    with file_lock(service.lock_file):
        return _ensure_running(service, say)


def _ensure_running(service: Service, say: Report) -> Outcome:
    began = time.monotonic()

    def note(message: str) -> None:
        say(f"[{service.name}] {message}")

    outcome = Outcome(service.name, "started", service.address, log=str(service.log_path))
    pid = service.pid()
    healthy = pid is not None and service.healthy()
    if pid is not None:
        restart = _restart_reason(service, pid, healthy)
        if restart:
            note(f"{restart}; restarting pid {pid}")
            stop(service.pid_file, service.signature(), timeout=service.stop_timeout)
            pid = None
    if pid is not None:
        outcome.pid = pid
        if healthy:
            outcome.state = "already running"
        else:
            note(f"process {pid} is starting; waiting for it to answer")
            _wait_healthy(service, None, service.start_timeout)
            outcome.state = "running"
    else:
        service.pid_file.unlink(missing_ok=True)
        busy = [port for port in service.ports if port_open(port)]
        if busy:
            raise ServiceError(
                f"port {', '.join(map(str, busy))} is in use by a process this manager did not start "
                f"(no live pid file {service.pid_file}); stop it or free the port"
            )
        service.prepare(note)
        proc = start_detached(service.launch(), log_path=service.log_path, pid_file=service.pid_file)
        service.fingerprint_file.write_text(service.fingerprint() + "\n")
        note(f"started pid {proc.pid}; waiting for it to answer (up to {service.start_timeout:.0f} s)")
        try:
            _wait_healthy(service, proc, service.start_timeout)
        except ServiceError:
            if is_alive(proc.pid):
                stop(service.pid_file, service.signature(), timeout=min(10.0, service.stop_timeout))
            raise
        outcome.pid = proc.pid
    outcome.healthy = True
    outcome.seconds = time.monotonic() - began
    return outcome


def write_env_file(paths: LocalPaths, services: Mapping[str, Service], environ: Mapping[str, str]) -> None:
    """services.env with the entries of every service that is not external (addresses and stored
    credentials are stable, so this does not depend on which services were named)."""
    external = detect_external(environ)
    values: dict[str, str] = {}
    for name, service in services.items():
        if name not in external:
            values |= service.env_values()
    existing = paths.env_file.read_text() if paths.env_file.is_file() else ""
    write_private(paths.env_file, merge_env(existing, values))


def up(paths: LocalPaths, names: Iterable[str] | None, say: Report) -> list[Outcome]:
    chosen = select(names)
    paths.ensure()
    services = all_services(paths)
    external = detect_external(os.environ, chosen)
    outcomes: dict[str, Outcome] = {}
    for name, url in external.items():
        say(f"[{name}] external: {url}")
        outcomes[name] = Outcome(name, "external", url)
    local = [name for name in chosen if name not in external]
    with ThreadPoolExecutor(max_workers=max(1, len(local))) as pool:
        futures = {name: pool.submit(ensure_running, services[name], say) for name in local}
        for name, future in futures.items():
            try:
                outcomes[name] = future.result()
            except Exception as error:  # every failure is reported, the others still finish
                log = services[name].log_path
                detail = str(error)
                if log.is_file():
                    detail += f"\n--- last 30 lines of {log} ---\n{tail(log)}"
                address = services[name].address
                outcomes[name] = Outcome(name, "failed", address, log=str(log), ok=False, detail=detail)
    with file_lock(paths.lock_file):
        write_env_file(paths, services, os.environ)
    return [outcomes[name] for name in chosen]


def down(paths: LocalPaths, names: Iterable[str] | None) -> list[Outcome]:
    """Stop what we started (by pid file and matching cmdline); external services are never touched."""
    chosen = select(names)
    services = all_services(paths)

    def stop_one(name: str) -> Outcome:
        service = services[name]
        with file_lock(service.lock_file):  # waits for an `up` that is starting it
            pid = service.pid()
            result = stop(service.pid_file, service.signature(), timeout=service.stop_timeout)
            if not service.pid_file.exists():
                service.fingerprint_file.unlink(missing_ok=True)
        return Outcome(name, str(result), service.address, pid=pid, ok=result is not StopOutcome.STALE)

    paths.run.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
        return list(pool.map(stop_one, chosen))


def status(paths: LocalPaths, names: Iterable[str] | None) -> list[Outcome]:
    chosen = select(names)
    services = all_services(paths)
    external = detect_external(os.environ, chosen)

    def check(name: str) -> Outcome:
        service = services[name]
        if name in external:
            healthy = service.check_external(external[name], os.environ)
            return Outcome(name, "external", external[name], healthy=healthy)
        pid = service.pid()
        if pid is None:
            busy = any(port_open(port) for port in service.ports)
            state = "stopped (port used by another process)" if busy else "stopped"
            return Outcome(name, state, service.address, healthy=False, log=str(service.log_path), ok=False)
        healthy = service.healthy()
        return Outcome(name, "running", service.address, pid, healthy, str(service.log_path), ok=healthy)

    with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
        return list(pool.map(check, chosen))


def tesseract_languages() -> list[str] | None:
    """Languages tesseract reports, or None when it is not installed."""
    if shutil.which("tesseract") is None:
        return None
    result = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    lines = (result.stdout + result.stderr).splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("List of")]
