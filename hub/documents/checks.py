"""The checks both upload ways share, each raising a DocumentError that names the problem and the field."""

from __future__ import annotations

import re

from hub.access.principal import Principal
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.names import FileNameError, clean_file_name
from hub.regions.models import Region
from hub.regions.services import get_region

SHA256 = re.compile(r"^[0-9a-f]{64}$")
ACCEPTED_TYPES = "PDF, DOCX, XLSX, ODT, JPEG, PNG, TIFF or plain text"


async def target_region(principal: Principal, region_code: str, field: str = "region") -> Region:
    """The region a document goes to, if it exists and the principal may add documents there."""
    region = await get_region(region_code)
    if region is None:
        raise DocumentError(
            DocumentErrorCode.REGION_NOT_FOUND, f"no region has the code {region_code!r}", field
        )
    if not principal.can_upload_to(region.subtree_codes):
        raise DocumentError(
            DocumentErrorCode.PERMISSION_DENIED,
            f"{principal.actor} may not add documents to region {region.id}",
            field,
        )
    return region


def clean_name(raw: str | None, field: str = "file") -> str:
    try:
        return clean_file_name(raw)
    except FileNameError as error:
        raise DocumentError(DocumentErrorCode.INVALID_FILE_NAME, str(error), field) from None


def check_size(size: int, max_bytes: int, field: str = "file") -> None:
    if size <= 0:
        raise DocumentError(DocumentErrorCode.EMPTY_FILE, "the file is empty (0 bytes)", field)
    if size > max_bytes:
        raise DocumentError(
            DocumentErrorCode.FILE_TOO_LARGE,
            f"the file has {size} bytes; the limit is {max_bytes} bytes",
            field,
        )


def require_type(content_type: str | None, field: str = "file") -> str:
    if content_type is None:
        raise DocumentError(
            DocumentErrorCode.UNSUPPORTED_TYPE,
            f"the file's content is not an accepted type ({ACCEPTED_TYPES})",
            field,
        )
    return content_type


def parse_sha256(value: str, field: str = "sha256") -> str:
    digest = value.strip().lower()
    if not SHA256.match(digest):
        raise DocumentError(
            DocumentErrorCode.INVALID_SHA256, "`sha256` must be 64 hexadecimal characters (SHA-256)", field
        )
    return digest
