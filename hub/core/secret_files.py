"""Secrets generated once and kept in a private folder (0700, files 0600): the local services' credentials
(infra/local) and the development JWT secret (hub.settings) that every process of a checkout shares."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

_lock = threading.Lock()


def stored_secret(folder: Path, name: str, generate: Callable[[], str]) -> str:
    """The secret `name`, generated with `generate` and written (0600) the first time it is asked for.

    Two processes (or threads) may ask at once: the secret is written to a private temporary file and linked
    into place, which fails if another got there first; then theirs is read. So every caller gets the value
    on disk, never one that lost the race."""
    path = folder / name
    with _lock:
        if path.is_file():
            value = path.read_text().strip()
            if value:
                return value
            path.unlink(missing_ok=True)  # an empty file (an interrupted write): generate it again
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
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
