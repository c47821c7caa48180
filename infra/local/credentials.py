"""Generated credentials, created once and kept in `.local/secrets/` (folder 0700, files 0600)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from hub.core.secret_files import stored_secret

__all__ = ["prefixed", "stored_secret", "token"]


def token(nbytes: int) -> Callable[[], str]:
    """A generator of hex tokens (hex needs no quoting in dotenv files or YAML)."""
    return lambda: secrets.token_hex(nbytes)


def prefixed(prefix: str, nbytes: int) -> Callable[[], str]:
    return lambda: prefix + secrets.token_hex(nbytes)
