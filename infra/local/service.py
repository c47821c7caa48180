"""What every local service provides to the manager."""

from __future__ import annotations

import hashlib
import socket
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from pathlib import Path

from infra.local.paths import LocalPaths
from infra.local.process import Launch, owned_pid
from infra.local.versions import HOST

Say = Callable[[str], None]


def port_open(port: int, host: str = HOST, timeout: float = 0.3) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()[:16]


class Service(ABC):
    """One local service. Subclasses are small: how to build it, run it, recognise it, and check it."""

    name: str
    port: int
    extra_ports: tuple[int, ...] = ()
    start_timeout: float = 30.0
    stop_timeout: float = 30.0  # after SIGTERM, how long the process group gets before SIGKILL

    def __init__(self, paths: LocalPaths) -> None:
        self.paths = paths

    @property
    def ports(self) -> tuple[int, ...]:
        return (self.port, *self.extra_ports)

    @property
    def log_path(self) -> Path:
        return self.paths.log(self.name)

    @property
    def pid_file(self) -> Path:
        return self.paths.pid_file(self.name)

    @property
    def lock_file(self) -> Path:
        """Held while a manager starts or stops this service."""
        return self.paths.run / f"{self.name}.lock"

    @property
    @abstractmethod
    def address(self) -> str:
        """Where clients connect (shown in tables)."""

    def prepare(self, say: Say) -> None:  # noqa: B027 - optional hook
        """Download or build what the service needs; quick when everything is cached."""

    @abstractmethod
    def launch(self) -> Launch:
        """The command, environment and working directory that run the service in the foreground."""

    @abstractmethod
    def signature(self) -> list[str]:
        """Tokens that all occur in the cmdline of the process we started (guards against pid reuse)."""

    @abstractmethod
    def healthy(self) -> bool:
        """True when the running local service answers."""

    @abstractmethod
    def env_values(self) -> dict[str, str]:
        """The `services.env` entries for this service when it runs locally."""

    @abstractmethod
    def check_external(self, url: str, environ: Mapping[str, str]) -> bool:
        """True when the external service at `url` answers (informational)."""

    def fingerprint(self) -> str:
        """What the process was started with that `up` must notice (a change restarts a running one)."""
        return ""

    @property
    def fingerprint_file(self) -> Path:
        return self.paths.run / f"{self.name}.started-with"

    def pid(self) -> int | None:
        """The pid of our running process, if any."""
        return owned_pid(self.pid_file, self.signature())
