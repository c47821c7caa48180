"""Where downloads, builds, data, logs and pid files live: `.local/` at the repo root.

Override the folder with the environment variable `PANTAU_LOCAL_DIR`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCAL_DIR_ENV = "PANTAU_LOCAL_DIR"


@dataclass(frozen=True)
class LocalPaths:
    root: Path

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> LocalPaths:
        env = os.environ if environ is None else environ
        raw = env.get(LOCAL_DIR_ENV)
        return cls(Path(raw).expanduser().resolve() if raw else REPO_ROOT / ".local")

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def data_root(self) -> Path:
        return self.root / "data"

    @property
    def secrets(self) -> Path:
        return self.root / "secrets"

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    @property
    def downloads(self) -> Path:
        return self.root / "downloads"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def env_file(self) -> Path:
        return self.root / "services.env"

    @property
    def lock_file(self) -> Path:
        """Held while the environment file is rewritten (each service has its own lock besides)."""
        return self.run / "manager.lock"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def pid_file(self, name: str) -> Path:
        return self.run / f"{name}.pid"

    def data(self, name: str) -> Path:
        return self.data_root / name

    def ensure(self) -> None:
        """Create the common folders (secrets readable by the owner only)."""
        for folder in (self.root, self.logs, self.run, self.data_root, self.bin, self.downloads, self.tmp):
            folder.mkdir(parents=True, exist_ok=True)
        self.secrets.mkdir(mode=0o700, exist_ok=True)
        self.secrets.chmod(0o700)


def repo_file(relative: str) -> Path:
    return REPO_ROOT / relative
