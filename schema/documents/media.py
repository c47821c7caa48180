"""The GraphQL view of what the worker read from a photo (hub.documents.models.MediaInfo): its EXIF time and
position, where that lies against the region, and the thumbnails readers are served instead of the original
(EXIF removed, so no location in them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeAlias

import strawberry

from hub.documents.links import download_url
from hub.documents.models import Derivative, MediaInfo
from hub.documents.models import PhotoPosition as PhotoPositionModel
from schema.context import Info
from schema.describe import enum_type
from schema.fields import field

enum_type(
    PhotoPositionModel,
    name="PhotoPosition",
    description="Where a photo's EXIF GPS position lies against its document's region. The hub knows each "
    "region's centre, not its boundary: a position counts as outside when it is farther from the centre "
    "than the radius for the region's level (PANTAU_REGION_RADIUS_KM).",
    values={
        "INSIDE": "Within the region's radius.",
        "OUTSIDE": "Flagged: beyond the region's radius, so probably taken elsewhere.",
        "NONE": "The photo carries no GPS position.",
        "UNREADABLE": "The photo's EXIF is malformed: its time and position were ignored.",
        "REGION_UNPLACED": "The region has no centre to compare with.",
    },
)
PhotoPosition: TypeAlias = PhotoPositionModel


@strawberry.type(
    description="A smaller JPEG of a photo, turned upright, without any EXIF metadata (no location): what "
    "apps show instead of the original."
)
class DocumentThumbnail:
    size: int = strawberry.field(description="The longest side it was fitted into, in pixels (such as 320).")
    width: int = strawberry.field(description="Its width in pixels.")
    height: int = strawberry.field(description="Its height in pixels.")
    content_type: str = strawberry.field(description="Always `image/jpeg`.")
    object_key: strawberry.Private[str]
    file_name: strawberry.Private[str]

    @classmethod
    def of(cls, derivative: Derivative, file_name: str) -> DocumentThumbnail:
        stem = file_name.rsplit(".", 1)[0]
        return cls(
            size=derivative.box,
            width=derivative.width,
            height=derivative.height,
            content_type=derivative.content_type,
            object_key=derivative.object_key,
            file_name=f"{stem}-{derivative.box}.jpg",
        )

    @field(
        description="A short-lived link (PANTAU_DOWNLOAD_URL_TTL_SECONDS) to the thumbnail; issued only to "
        "viewers who can see the document."
    )
    def url(self, info: Info) -> str:
        settings = info.context.clients.settings
        now = datetime.now(UTC)
        return download_url(settings, self.object_key, self.file_name, self.content_type, now).url


@strawberry.type(
    description="What processing read from a photo: the time and place its camera recorded (EXIF), and its "
    "thumbnails. The original keeps its EXIF and is downloaded only through `Document.downloadUrl`."
)
class DocumentMedia:
    taken_at: datetime | None = strawberry.field(
        description="When the photo was taken (EXIF DateTimeOriginal), as the camera's clock showed it; EXIF "
        "carries no time zone, so it is given as if UTC."
    )
    latitude: float | None = strawberry.field(description="The EXIF GPS latitude, if the photo has one.")
    longitude: float | None = strawberry.field(description="The EXIF GPS longitude, if the photo has one.")
    position: PhotoPosition = strawberry.field(
        description="Where that position lies against the document's region; OUTSIDE is the flag to check."
    )
    width: int = strawberry.field(description="The original's width in pixels, upright.")
    height: int = strawberry.field(description="The original's height in pixels, upright.")
    thumbnails: list[DocumentThumbnail] = strawberry.field(
        description="JPEG derivatives without EXIF, smallest first (PANTAU_THUMBNAIL_SIZES)."
    )

    @classmethod
    def of(cls, media: MediaInfo, file_name: str) -> DocumentMedia:
        taken = media.taken_at
        return cls(
            taken_at=taken.replace(tzinfo=UTC) if taken is not None and taken.tzinfo is None else taken,
            latitude=media.latitude,
            longitude=media.longitude,
            position=media.position,
            width=media.width,
            height=media.height,
            thumbnails=[
                DocumentThumbnail.of(item, file_name)
                for item in sorted(media.derivatives, key=lambda d: d.box)
            ],
        )
