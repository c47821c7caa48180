"""Generated credentials, created once and kept in `.local/secrets/` (folder 0700, files 0600)."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path

_lock = threading.Lock()


def stored_secret(folder: Path, name: str, generate: Callable[[], str]) -> str:
    """The secret `name`, generated with `generate` and written (0600) the first time it is asked for.

    Two managers may ask at once (each service is started under its own lock): the secret is written to a
    private temporary file and linked into place, which fails if another got there first; then theirs is
    read. So every caller gets the value on disk, never one that lost the race."""
    path = folder / name
    with _lock:
        if path.is_file():
            value = path.read_text().strip()
            if value:
                return value
            path.unlink(missing_ok=True)  # an empty file (an interrupted write): generate it again
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generate() + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        return path.read_text().strip()


def token(nbytes: int) -> Callable[[], str]:
    """A generator of hex tokens (hex needs no quoting in dotenv files or YAML)."""
    return lambda: secrets.token_hex(nbytes)


def prefixed(prefix: str, nbytes: int) -> Callable[[], str]:
    return lambda: prefix + secrets.token_hex(nbytes)
