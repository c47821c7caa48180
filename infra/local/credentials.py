"""Generated credentials, created once and kept in `.local/secrets/` (folder 0700, files 0600)."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path

_lock = threading.Lock()


def stored_secret(folder: Path, name: str, generate: Callable[[], str]) -> str:
    """The secret `name`, generated with `generate` and written (0600) the first time it is asked for."""
    path = folder / name
    with _lock:
        if path.is_file():
            value = path.read_text().strip()
            if value:
                return value
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        value = generate()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(value + "\n")
        path.chmod(0o600)
        return value


def token(nbytes: int) -> Callable[[], str]:
    """A generator of hex tokens (hex needs no quoting in dotenv files or YAML)."""
    return lambda: secrets.token_hex(nbytes)


def prefixed(prefix: str, nbytes: int) -> Callable[[], str]:
    return lambda: prefix + secrets.token_hex(nbytes)
