"""User-supplied file names: kept for display only, cleaned, and refused when they try to be paths."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_LENGTH = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRAVERSAL = re.compile(r"(^|[\\/])\.\.([\\/]|$)")


class FileNameError(ValueError):
    pass


def clean_file_name(raw: str | None) -> str:
    """A safe display name, or FileNameError saying what is wrong with it."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise FileNameError("the file has no name")
    if "%00" in name.lower() or "\x00" in name:
        raise FileNameError("the file name contains a NUL byte")
    if _TRAVERSAL.search(name):
        raise FileNameError("the file name contains a parent-directory reference ('..')")
    # Browsers on some systems send a full client path: keep the last component only.
    name = re.split(r"[\\/]", name)[-1]
    name = _CONTROL.sub("", name).strip().lstrip(".")
    if not name:
        raise FileNameError("the file name is empty after removing unsafe characters")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        keep = MAX_NAME_LENGTH - len(dot + extension) if dot and len(extension) <= 10 else MAX_NAME_LENGTH
        name = (stem[:keep] + dot + extension) if dot and len(extension) <= 10 else name[:keep]
    return name
