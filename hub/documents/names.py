"""User-supplied file names: kept for display only, cleaned, refused when they try to be paths, and given the
extension of the type sniffed from the bytes when theirs says otherwise."""

from __future__ import annotations

import re
import unicodedata

from hub.documents.sniff import EXTENSIONS

MAX_NAME_LENGTH = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRAVERSAL = re.compile(r"(^|[\\/])\.\.([\\/]|$)")
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,10}$")


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


def name_for_type(name: str, content_type: str) -> str:
    """The display name with an extension that tells `content_type` (sniffed from the bytes): kept when it
    does already (`foto.jpeg` for a JPEG), replaced when it tells another type (`photo.png` holding HTML text
    becomes `photo.txt`), added when there is none. A downloaded file then opens as what it is."""
    extensions = EXTENSIONS.get(content_type)
    if not extensions:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and _EXTENSION.match(extension):
        if extension.lower() in extensions:
            return name
    else:
        stem = name
    suffix = f".{extensions[0]}"
    return stem[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
