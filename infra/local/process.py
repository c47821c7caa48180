"""Start detached processes, keep pid files, and stop only what we started.

A service is started in its own session (so its process id is also its process-group id and every child
it forks shares that group). Stopping sends SIGTERM to the group, waits, then SIGKILL. Before any signal
the pid file's process must still exist and its `/proc/<pid>/cmdline` must contain every token of the
service's signature; a pid that was reused by an unrelated program is never signalled.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

LOG_ROTATE_BYTES = 10 * 1024 * 1024


def read_pid(pid_file: Path) -> int | None:
    try:
        text = pid_file.read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return int(text) if text.isdigit() and int(text) > 0 else None


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = pid_file.with_name(pid_file.name + ".tmp")
    tmp.write_text(f"{pid}\n")
    tmp.replace(pid_file)


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name: [state, ppid, pgrp, ...]."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return raw[raw.rfind(")") + 2 :].split()


def is_alive(pid: int) -> bool:
    """True for a live process (a zombie counts as dead and is reaped if it is our child)."""
    fields = _stat_fields(pid)
    if fields is None:
        return False
    if fields[0] in ("Z", "X"):
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)
        return False
    return True


def age(pid: int) -> float | None:
    """Seconds since the process started, or None when it is gone."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22 of /proc/<pid>/stat
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return max(0.0, uptime - started)


def cmdline(pid: int) -> list[str] | None:
    """The argv of a live process, or None when it is gone (or a zombie)."""
    if not is_alive(pid):
        return None
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def matches(argv: Sequence[str], signature: Sequence[str]) -> bool:
    """Every signature token occurs in the command line (processes may rewrite their argv into one string,
    as redis-server does, so the tokens are looked for in the joined text)."""
    if not signature:
        return False
    joined = " ".join(argv)
    return all(token in joined for token in signature)


def owned_pid(pid_file: Path, signature: Sequence[str]) -> int | None:
    """The pid in `pid_file` if that process is alive and its cmdline matches `signature`, else None."""
    pid = read_pid(pid_file)
    if pid is None or pid == os.getpid():
        return None
    argv = cmdline(pid)
    if argv is None or not matches(argv, signature):
        return None
    return pid


def group_members(pgid: int) -> list[int]:
    """Live processes whose process group is `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields and fields[0] not in ("Z", "X") and fields[2] == str(pgid):
            members.append(int(entry.name))
    return members


def _rotate(log_path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        if log_path.stat().st_size > LOG_ROTATE_BYTES:
            log_path.replace(log_path.with_name(log_path.name + ".1"))


@dataclass(frozen=True)
class Launch:
    argv: list[str]
    env: Mapping[str, str]
    cwd: Path
    user: int | None = None  # uid to run as (root only)
    group: int | None = None


def start_detached(launch: Launch, *, log_path: Path, pid_file: Path) -> subprocess.Popen[bytes]:
    """Start `launch` in a new session with output appended to `log_path`, and record its pid."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    _rotate(log_path)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with log_path.open("ab") as log:
        log.write(f"\n=== {stamp} start: {' '.join(launch.argv)}\n".encode())
        log.flush()
        extra: dict[str, object] = {}
        if launch.user is not None:
            extra = {"user": launch.user, "group": launch.group, "extra_groups": []}
        proc: subprocess.Popen[bytes] = subprocess.Popen(  # type: ignore[call-overload]
            launch.argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(launch.env),
            cwd=launch.cwd,
            start_new_session=True,
            **extra,
        )
    write_pid(pid_file, proc.pid)
    return proc


class StopOutcome(StrEnum):
    NOT_RUNNING = "not running"
    STALE = "stale pid file removed (process not ours, left alone)"
    STOPPED = "stopped"
    KILLED = "killed after timeout"


def _signal(pid: int, as_group: bool, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        if as_group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)


def _remaining(pid: int, as_group: bool) -> list[int]:
    alive = [pid] if is_alive(pid) else []
    if as_group:
        alive = sorted(set(alive) | set(group_members(pid)))
    return alive


def _wait_gone(pid: int, as_group: bool, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if not _remaining(pid, as_group):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def stop(pid_file: Path, signature: Sequence[str], *, timeout: float = 30.0) -> StopOutcome:
    """Stop the process recorded in `pid_file` (and its process group) if, and only if, it is ours."""
    pid = read_pid(pid_file)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        return StopOutcome.NOT_RUNNING
    if owned_pid(pid_file, signature) is None:
        pid_file.unlink(missing_ok=True)
        return StopOutcome.NOT_RUNNING if not is_alive(pid) else StopOutcome.STALE
    try:
        as_group = os.getpgid(pid) == pid
    except ProcessLookupError:
        pid_file.unlink(missing_ok=True)
        return StopOutcome.NOT_RUNNING
    _signal(pid, as_group, signal.SIGTERM)
    outcome = StopOutcome.STOPPED
    if not _wait_gone(pid, as_group, timeout):
        _signal(pid, as_group, signal.SIGKILL)
        _wait_gone(pid, as_group, 5.0)
        outcome = StopOutcome.KILLED
    pid_file.unlink(missing_ok=True)
    return outcome


def tail(path: Path, lines: int = 30) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 64 * 1024))
            text = handle.read().decode(errors="replace")
    except FileNotFoundError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock, so two managers never start the same service at once."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_checked(argv: Sequence[str], *, log_path: Path, **kwargs: object) -> None:
    """Run a build step with its output appended to `log_path`; raise with the log tail on failure."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        log.write(f"\n=== build: {' '.join(argv)}\n".encode())
        log.flush()
        result = subprocess.run(  # type: ignore[call-overload]
            list(argv), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, check=False, **kwargs
        )
    if result.returncode != 0:
        raise RuntimeError(
            f"{argv[0]} failed (exit {result.returncode}); last lines of {log_path}:\n{tail(log_path)}"
        )
