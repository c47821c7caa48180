"""The checks both upload ways share, each raising a DocumentError that names the problem and the field."""

from __future__ import annotations

import re

from hub.access.principal import Principal
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.names import FileNameError, clean_file_name
from hub.documents.sniff import VIDEOS
from hub.i18n import Text
from hub.regions.models import Region
from hub.regions.services import get_region

SHA256 = re.compile(r"^[0-9a-f]{64}$")
ACCEPTED_TYPES = "PDF, DOCX, XLSX, ODT, JPEG, PNG, TIFF, plain text, or a short MP4, QuickTime or WebM video"


async def target_region(principal: Principal, region_code: str, field: str = "region") -> Region:
    """The region a document goes to, if it exists and the principal may add documents there."""
    region = await get_region(region_code)
    if region is None:
        raise DocumentError(
            DocumentErrorCode.REGION_NOT_FOUND,
            Text("documents.region_not_found", region_code=region_code),
            field,
        )
    if not principal.can_upload_to(region.subtree_codes):
        raise DocumentError(
            DocumentErrorCode.PERMISSION_DENIED,
            Text("documents.may_not_add", actor=principal.actor, region_code=region.id),
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
        raise DocumentError(DocumentErrorCode.EMPTY_FILE, Text("documents.empty_file"), field)
    if size > max_bytes:
        raise DocumentError(
            DocumentErrorCode.FILE_TOO_LARGE,
            Text("documents.file_too_large", size=size, max_bytes=max_bytes),
            field,
        )


def cap_for(content_type: str, max_bytes: int, max_video_bytes: int | None) -> int:
    """The size cap of a file of this type: videos have their own, smaller one (short videos only)."""
    if max_video_bytes is not None and content_type in VIDEOS:
        return min(max_bytes, max_video_bytes)
    return max_bytes


def require_type(content_type: str | None, field: str = "file") -> str:
    if content_type is None:
        raise DocumentError(
            DocumentErrorCode.UNSUPPORTED_TYPE,
            Text("documents.unsupported_type", accepted_types=ACCEPTED_TYPES),
            field,
        )
    return content_type


def parse_sha256(value: str, field: str = "sha256") -> str:
    digest = value.strip().lower()
    if not SHA256.match(digest):
        raise DocumentError(DocumentErrorCode.INVALID_SHA256, Text("documents.invalid_sha256"), field)
    return digest
