"""Typed errors of backups: a code, a message for the operator and, when one file is at fault, its name."""

from __future__ import annotations

from enum import StrEnum


class BackupErrorCode(StrEnum):
    NO_KEY = "NO_KEY"  # no backup key is configured
    WRONG_KEY = "WRONG_KEY"  # the file was sealed with another key
    TAMPERED = "TAMPERED"  # a file fails authentication, is truncated or does not match the manifest
    MISSING_FILE = "MISSING_FILE"  # a file the manifest names is not in the target
    NOT_FOUND = "NOT_FOUND"  # no backup with that id (or none at all) in the target
    INVALID_TARGET = "INVALID_TARGET"
    NOT_EMPTY = "NOT_EMPTY"  # restore into a database or bucket that holds data, without --force
    BUSY = "BUSY"  # another backup or prune holds the lock
    AUDIT_BROKEN = "AUDIT_BROKEN"  # the restored audit chain does not verify
    MISMATCH = "MISMATCH"  # the restored stack does not reconcile with the manifest


class BackupError(Exception):
    def __init__(self, code: BackupErrorCode, message: str, file: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.file = file

    def __str__(self) -> str:
        return f"{self.code.value}: {self.message}"
