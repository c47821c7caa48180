"""The ingest step for photos: read the EXIF (workers/media.py), place its position against the document's
region (hub.regions.geo), store the derivatives beside the original, and say what to record.

Derivative keys are the original's key with `.w<box>.jpg` appended: a second run of the same ingest writes
the same objects again, and nothing else. `discard` removes them when the document's record was not updated
after all (and does not name them).
"""

from __future__ import annotations

import io

import anyio.to_thread

from hub.clients import Clients
from hub.documents.models import Derivative, MediaInfo, PhotoPosition, StoredDocument
from hub.documents.record import remove_quietly
from hub.regions.geo import Placement, placement
from hub.regions.services import get_region
from workers.media import PHOTO_TYPES, PhotoFacts, read_photo

_POSITIONS = {
    Placement.INSIDE: PhotoPosition.INSIDE,
    Placement.OUTSIDE: PhotoPosition.OUTSIDE,
    Placement.UNKNOWN: PhotoPosition.REGION_UNPLACED,
}


def is_photo(document: StoredDocument) -> bool:
    return document.content_type in PHOTO_TYPES


def derivative_key(object_key: str, box: int) -> str:
    return f"{object_key}.w{box}.jpg"


async def _position(document: StoredDocument, facts: PhotoFacts, clients: Clients) -> PhotoPosition:
    if not facts.exif_readable:
        return PhotoPosition.UNREADABLE
    if facts.latitude is None or facts.longitude is None:
        return PhotoPosition.NONE
    region = await get_region(document.region_code)
    if region is None:
        return PhotoPosition.REGION_UNPLACED
    found = placement(region, facts.latitude, facts.longitude, clients.settings.region_radii_km)
    return _POSITIONS[found]


async def photo_media(clients: Clients, document: StoredDocument, data: bytes) -> MediaInfo:
    """Reads the photo and stores its derivatives; raises workers.media.PhotoUnreadable (nothing stored)."""
    settings = clients.settings
    facts = await anyio.to_thread.run_sync(
        read_photo, data, settings.thumbnail_boxes, settings.max_image_pixels
    )
    derivatives: list[Derivative] = []
    try:
        for derived in facts.derivatives:
            key = derivative_key(document.object_key, derived.box)
            await clients.store.put(key, io.BytesIO(derived.data), len(derived.data), "image/jpeg")
            derivatives.append(
                Derivative(
                    box=derived.box,
                    object_key=key,
                    width=derived.width,
                    height=derived.height,
                    size=len(derived.data),
                    sha256=derived.sha256,
                )
            )
    except BaseException:
        await discard(clients, derivatives)
        raise
    return MediaInfo(
        taken_at=facts.taken_at,
        latitude=facts.latitude,
        longitude=facts.longitude,
        position=await _position(document, facts, clients),
        width=facts.width,
        height=facts.height,
        derivatives=derivatives,
    )


async def discard(
    clients: Clients, derivatives: list[Derivative], keep: StoredDocument | None = None
) -> None:
    """Removes derivatives no record names: `keep`, the document as it is now, may name them (a second run
    of the same ingest recorded them first)."""
    named = {item.object_key for item in keep.media.derivatives} if keep and keep.media else set()
    for item in derivatives:
        if item.object_key not in named:
            await remove_quietly(clients.store, item.object_key)
